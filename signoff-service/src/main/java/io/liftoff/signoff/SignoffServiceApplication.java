package io.liftoff.signoff;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SignoffServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SignoffServiceApplication.class, args);
    }
}
