package org.childrensgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The gateway's FHIR R4 conformance resources, loaded from the classpath.
 *
 * <p>Every file listed in {@value #INDEX_FILE} (paths relative to {@value #DEFAULT_BASE_PATH}/,
 * including nested indexes such as {@code conceptmaps/index.txt}, see {@link #resolveIndex}) is
 * parsed with the given {@link FhirContext}: {@code .json} with the JSON parser, {@code .xml} with
 * the XML parser. The index means loading from a jar needs no classpath scanning; a unit test
 * fails if the index and the folder disagree. This covers UK Core ({@code ukcore/}), the project's
 * StructureDefinitions, CodeSystems, ValueSets, SearchParameters and any ConceptMaps another
 * module places in {@code conceptmaps/}.
 *
 * <p>Instances are immutable and safe to share between threads (treat the returned resources as
 * read-only).
 */
public final class ConformancePackage {

  /** Classpath folder holding the resources and the index. */
  public static final String DEFAULT_BASE_PATH = "fhir-profiles";

  /** Name of the index file inside the base folder: one relative path per line, '#' comments. */
  public static final String INDEX_FILE = "index.txt";

  private final FhirContext fhirContext;
  private final List<String> paths;
  private final List<IBaseResource> resources;
  private final Map<String, IBaseResource> byUrl;

  private ConformancePackage(
      FhirContext fhirContext, List<String> paths, List<IBaseResource> resources) {
    this.fhirContext = fhirContext;
    this.paths = List.copyOf(paths);
    this.resources = List.copyOf(resources);
    Map<String, IBaseResource> urls = new LinkedHashMap<>();
    for (IBaseResource r : resources) {
      String url = canonicalUrl(r);
      if (url != null) {
        IBaseResource previous = urls.putIfAbsent(url, r);
        if (previous != null) {
          throw new IllegalStateException("Duplicate canonical URL in conformance package: " + url);
        }
      }
    }
    this.byUrl = Collections.unmodifiableMap(urls);
  }

  /**
   * Loads the package from {@value #DEFAULT_BASE_PATH}/ on this library's classpath.
   *
   * @param fhirContext an R4 context (share one per application: it is expensive to create)
   */
  public static ConformancePackage load(FhirContext fhirContext) {
    return load(fhirContext, ConformancePackage.class.getClassLoader(), DEFAULT_BASE_PATH);
  }

  /**
   * Loads every resource listed in {@code basePath/index.txt} from the given class loader.
   *
   * @throws IllegalArgumentException if the context is not R4
   * @throws IllegalStateException if the index or a listed file is missing or cannot be parsed
   */
  public static ConformancePackage load(
      FhirContext fhirContext, ClassLoader classLoader, String basePath) {
    Objects.requireNonNull(fhirContext, "fhirContext");
    Objects.requireNonNull(classLoader, "classLoader");
    if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
      throw new IllegalArgumentException(
          "An R4 FhirContext is required, got " + fhirContext.getVersion().getVersion());
    }
    String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    List<String> paths =
        resolveIndex(INDEX_FILE, p -> classLoader.getResourceAsStream(base + "/" + p));
    List<IBaseResource> resources = new ArrayList<>(paths.size());
    IParser json = fhirContext.newJsonParser();
    IParser xml = fhirContext.newXmlParser();
    for (String path : paths) {
      IParser parser = path.endsWith(".json") ? json : path.endsWith(".xml") ? xml : null;
      if (parser == null) {
        throw new IllegalStateException("Index entry is neither .json nor .xml: " + path);
      }
      String location = base + "/" + path;
      try (InputStream in = classLoader.getResourceAsStream(location)) {
        if (in == null) {
          throw new IllegalStateException("Resource listed in " + INDEX_FILE + " not found: " + location);
        }
        resources.add(parser.parseResource(new InputStreamReader(in, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to read " + location, e);
      } catch (RuntimeException e) {
        if (e instanceof IllegalStateException) {
          throw e;
        }
        throw new IllegalStateException("Failed to parse " + location + ": " + e.getMessage(), e);
      }
    }
    return new ConformancePackage(fhirContext, paths, resources);
  }

  /**
   * Reads an index and returns the resource paths it lists, relative to the base folder.
   *
   * <p>Format: one path per line, relative to the folder holding the index; blank lines and lines
   * starting with '#' are ignored. A line naming another {@code index.txt} (e.g. {@code
   * conceptmaps/index.txt}, maintained by the team owning that folder) includes that index's
   * entries, resolved relative to its own folder.
   *
   * @param indexPath path of the index relative to the base folder, e.g. {@code index.txt}
   * @param opener opens a path relative to the base folder, returning null if it does not exist
   */
  static List<String> resolveIndex(String indexPath, Function<String, InputStream> opener) {
    List<String> out = new ArrayList<>();
    resolveIndex(indexPath, opener, out, new java.util.HashSet<>());
    return out;
  }

  private static void resolveIndex(
      String indexPath,
      Function<String, InputStream> opener,
      List<String> out,
      java.util.Set<String> seen) {
    if (!seen.add(indexPath)) {
      throw new IllegalStateException("Index included twice: " + indexPath);
    }
    String folder = indexPath.contains("/") ? indexPath.substring(0, indexPath.lastIndexOf('/') + 1) : "";
    try (InputStream in = opener.apply(indexPath)) {
      if (in == null) {
        throw new IllegalStateException("Conformance index not found: " + indexPath);
      }
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          String trimmed = line.strip();
          if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            continue;
          }
          String path = folder + trimmed;
          if (path.equals(INDEX_FILE) || path.endsWith("/" + INDEX_FILE)) {
            resolveIndex(path, opener, out, seen);
          } else {
            out.add(path);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read index " + indexPath, e);
    }
  }

  private static String canonicalUrl(IBaseResource resource) {
    return resource instanceof MetadataResource m && m.hasUrl() ? m.getUrl() : null;
  }

  public FhirContext getFhirContext() {
    return fhirContext;
  }

  /** The index entries (paths relative to the base folder), in load order. */
  public List<String> getPaths() {
    return paths;
  }

  /** Every loaded resource, in index order. */
  public List<IBaseResource> getAllResources() {
    return resources;
  }

  public List<StructureDefinition> getStructureDefinitions() {
    return ofType(StructureDefinition.class);
  }

  public List<CodeSystem> getCodeSystems() {
    return ofType(CodeSystem.class);
  }

  public List<ValueSet> getValueSets() {
    return ofType(ValueSet.class);
  }

  public List<ConceptMap> getConceptMaps() {
    return ofType(ConceptMap.class);
  }

  public List<SearchParameter> getSearchParameters() {
    return ofType(SearchParameter.class);
  }

  /** Every loaded resource of the given type, in index order. */
  public <T extends IBaseResource> List<T> ofType(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (IBaseResource r : resources) {
      if (type.isInstance(r)) {
        out.add(type.cast(r));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The resource with this canonical URL (exact match, no version suffix), if loaded. */
  public Optional<IBaseResource> findByUrl(String url) {
    if (url == null) {
      return Optional.empty();
    }
    int bar = url.indexOf('|');
    return Optional.ofNullable(byUrl.get(bar >= 0 ? url.substring(0, bar) : url));
  }

  /** The resource of the given type with this canonical URL, if loaded. */
  public <T extends IBaseResource> Optional<T> findByUrl(Class<T> type, String url) {
    return findByUrl(url).filter(type::isInstance).map(type::cast);
  }

  /** All canonical URLs in the package. */
  public java.util.Set<String> getUrls() {
    return byUrl.keySet();
  }
}
