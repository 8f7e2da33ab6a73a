package io.liftoff.bench.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway with nothing added: its routes come from the command line (the benchmark gives one, to
 * checklist-service). The gateway benchmark measures it beside Liftoff's gateway to tell what the framework costs by
 * itself from what Liftoff's filters, security and routing add to it or save.
 */
@SpringBootApplication
public class BareGateway {

    public static void main(String[] args) {
        SpringApplication.run(BareGateway.class, args);
    }
}
