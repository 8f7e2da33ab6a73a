package io.liftoff.signoff;

import io.liftoff.signoff.config.SignoffProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableFeignClients
@EnableScheduling
@EnableConfigurationProperties(SignoffProperties.class)
public class SignoffServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SignoffServiceApplication.class, args);
    }
}
