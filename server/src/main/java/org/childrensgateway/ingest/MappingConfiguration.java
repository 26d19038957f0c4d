package org.childrensgateway.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.childrensgateway.mappers.MappingRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The mappings in force: the built-in ones, overridden and extended by the directory an
 * integration engineer edits ({@code gateway.mappings.dir}); reloaded without a rebuild.
 */
@Configuration(proxyBeanMethods = false)
public class MappingConfiguration {

    @Bean
    MappingRegistry mappingRegistry(@Value("${gateway.mappings.dir:}") String dir) throws IOException {
        MappingRegistry registry = MappingRegistry.builtIn();
        if (dir == null || dir.isBlank()) {
            return registry;
        }
        // Created if missing, so an engineer can add the first site mapping later and reload.
        Path path = Files.createDirectories(Path.of(dir));
        return registry.withOverrides(path);
    }
}
