package io.liftoff.checklist.release;

import org.springframework.data.mongodb.repository.MongoRepository;

interface ReleaseRepository extends MongoRepository<Release, String> {
}
