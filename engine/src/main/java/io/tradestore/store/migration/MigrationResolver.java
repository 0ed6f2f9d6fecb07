package io.tradestore.store.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lists and parses the migration files of a location: {@code classpath:<folder>} (a folder of
 * {@code target/classes} or of the shaded jar) or a filesystem directory; or of several locations read as one
 * set, where a version in more than one must be the same file in each ({@link MigrationLocations}).
 *
 * <p>A file is {@code NNN_name.sql} (at least three digits), with an optional header of comments and directives,
 * then {@code -- migrate:up}, the up statements, {@code -- migrate:down}, the down statements. Anything else
 * ending in {@code .sql} is refused rather than skipped, so a misnamed file cannot be silently ignored.
 */
public final class MigrationResolver {
  public static final String CLASSPATH_PREFIX = "classpath:";

  static final Pattern FILE_NAME = Pattern.compile("(\\d{3,})_([A-Za-z0-9][A-Za-z0-9_]*)\\.sql");
  private static final Pattern MARKER = Pattern.compile("--\\s*migrate:(\\S*)\\s*(.*)");

  private final List<String> locations;
  private final ClassLoader classLoader;

  public MigrationResolver(String location) {
    this(location, defaultClassLoader());
  }

  public MigrationResolver(String location, ClassLoader classLoader) {
    this(Collections.singletonList(location), classLoader);
  }

  /** @param locations read as one set, in this order */
  public MigrationResolver(List<String> locations, ClassLoader classLoader) {
    if (locations.isEmpty() || locations.stream().anyMatch(l -> l == null || l.isBlank())) {
      throw new MigrationException("no migrations location configured (migrations.location)");
    }
    this.locations = List.copyOf(locations);
    this.classLoader = classLoader;
  }

  public MigrationResolver(List<String> locations) {
    this(locations, defaultClassLoader());
  }

  /** The location, or the locations joined with " + ", as messages name them. */
  public String location() {
    return String.join(" + ", locations);
  }

  /**
   * All files, by version then file name. Two files with one version in one location are both returned (the
   * validator refuses them); across locations, the same file (name and checksum) counts once, and a different
   * one is refused here, naming both.
   */
  public List<MigrationFile> resolve() {
    List<MigrationFile> files = new ArrayList<>();
    Map<Integer, String> firstIn = new HashMap<>();
    for (String location : locations) {
      List<MigrationFile> here = read(location);
      for (MigrationFile file : here) {
        String earlierLocation = firstIn.get(file.version());
        if (earlierLocation == null) {
          files.add(file);
          continue;
        }
        MigrationFile earlier = files.stream().filter(f -> f.version() == file.version()).findFirst().orElseThrow();
        boolean sameName = earlier.fileName().equals(file.fileName());
        if (!sameName || !earlier.checksum().equals(file.checksum())) {
          throw new MigrationException("version " + file.version() + " is " + earlier.fileName() + " in " + earlierLocation
              + " but " + (sameName ? "a different " : "") + file.fileName() + " in " + location
              + ": a version in both must be the same file (number a new file above every other; --dir reads one folder alone)");
        }
      }
      here.forEach(f -> firstIn.putIfAbsent(f.version(), location));
    }
    files.sort(Comparator.comparingInt(MigrationFile::version).thenComparing(MigrationFile::fileName));
    return Collections.unmodifiableList(files);
  }

  private List<MigrationFile> read(String location) {
    if (location.startsWith(CLASSPATH_PREFIX)) {
      return readClasspath(location.substring(CLASSPATH_PREFIX.length()));
    }
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new MigrationException("migrations directory " + dir.toAbsolutePath() + " does not exist");
    }
    return readDirectory(dir);
  }

  private List<MigrationFile> readClasspath(String folder) {
    String resource = folder.replaceAll("^/+|/+$", "");
    List<MigrationFile> files = new ArrayList<>();
    try {
      for (URL url : Collections.list(classLoader.getResources(resource))) {
        URI uri = url.toURI();
        switch (uri.getScheme()) {
          case "file" -> files.addAll(readDirectory(Path.of(uri)));
          case "jar" -> files.addAll(readJar(uri));
          default -> throw new MigrationException("cannot list migrations at " + url + " (unsupported URL scheme)");
        }
      }
    } catch (IOException e) {
      throw new MigrationException("cannot list classpath:" + folder + ": " + e.getMessage(), e);
    } catch (URISyntaxException e) {
      throw new MigrationException("cannot list classpath:" + folder + ": " + e.getMessage(), e);
    }
    return files;
  }

  /** {@code jar:file:/app.jar!/migrations}: list it through a zip file system, closing it only if we opened it. */
  private List<MigrationFile> readJar(URI uri) throws IOException {
    String spec = uri.toString();
    int separator = spec.indexOf("!/");
    URI jar = URI.create(spec.substring(0, separator));
    String inside = spec.substring(separator + 1);
    FileSystem zip;
    boolean opened;
    try {
      zip = FileSystems.newFileSystem(jar, Map.of());
      opened = true;
    } catch (FileSystemAlreadyExistsException e) {
      zip = FileSystems.getFileSystem(jar);
      opened = false;
    }
    try {
      return readDirectory(zip.getPath(inside));
    } finally {
      if (opened) {
        zip.close();
      }
    }
  }

  private static List<MigrationFile> readDirectory(Path dir) {
    List<MigrationFile> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().toList()) {
        String fileName = p.getFileName().toString().replaceAll("/$", "");
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(".sql") || fileName.startsWith(".") || Files.isDirectory(p)) {
          continue;
        }
        files.add(parse(fileName, p.toUri().toString(), Files.readAllBytes(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migrations in " + dir + ": " + e.getMessage(), e);
    }
    return files;
  }

  /** Parses one file; every problem is reported as {@code <file>: <problem>}. */
  public static MigrationFile parse(String fileName, String origin, byte[] content) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      throw new MigrationException(fileName + ": not a migration file name; expected NNN_name.sql "
          + "(at least 3 digits, then letters, digits and _)");
    }
    int version;
    try {
      version = Integer.parseInt(m.group(1));
    } catch (NumberFormatException e) {
      throw new MigrationException(fileName + ": version number too large");
    }
    if (version < 1) {
      throw new MigrationException(fileName + ": versions start at 1");
    }
    String text = MigrationChecksum.normalize(decode(fileName, content));
    try {
      return parseText(version, m.group(2), fileName, origin, text);
    } catch (MigrationException e) {
      throw new MigrationException(fileName + ": " + e.getMessage(), e);
    }
  }

  private static MigrationFile parseText(int version, String name, String fileName, String origin, String text) {
    String[] lines = text.split("\n", -1);
    int upMarker = -1;
    int downMarker = -1;
    Set<MigrationFile.Directive> directives = EnumSet.noneOf(MigrationFile.Directive.class);
    String description = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      Matcher marker = MARKER.matcher(line);
      if (!marker.matches()) {
        if (upMarker < 0 && description == null && line.startsWith("--")) {
          String comment = line.substring(2).strip();
          description = comment.isEmpty() ? null : comment;
        }
        continue;
      }
      String what = marker.group(1).toLowerCase(Locale.ROOT);
      int lineNumber = i + 1;
      if (!marker.group(2).isEmpty()) {
        throw new MigrationException("line " + lineNumber + ": unexpected text after -- migrate:" + what
            + " (options are not supported)");
      }
      switch (what) {
        case "up" -> {
          if (upMarker >= 0) {
            throw new MigrationException("line " + lineNumber + ": second -- migrate:up (first on line " + (upMarker + 1) + ")");
          }
          upMarker = i;
        }
        case "down" -> {
          if (downMarker >= 0) {
            throw new MigrationException("line " + lineNumber + ": second -- migrate:down (first on line " + (downMarker + 1) + ")");
          }
          if (upMarker < 0) {
            throw new MigrationException("line " + lineNumber + ": -- migrate:down before -- migrate:up");
          }
          downMarker = i;
        }
        default -> {
          MigrationFile.Directive directive = directive(what, lineNumber);
          if (upMarker >= 0) {
            throw new MigrationException("line " + lineNumber + ": directive -- migrate:" + what
                + " must be in the header, before -- migrate:up");
          }
          directives.add(directive);
        }
      }
    }
    if (upMarker < 0) {
      throw new MigrationException("no -- migrate:up line");
    }
    if (downMarker < 0) {
      throw new MigrationException("no -- migrate:down line (write it even when the down part stays empty)");
    }
    List<SqlStatement> header = SqlScriptSplitter.split(join(lines, 0, upMarker), 1);
    if (!header.isEmpty()) {
      throw new MigrationException("line " + header.get(0).line() + ": SQL before -- migrate:up would never run; "
          + "the header holds only comments and directives");
    }
    List<SqlStatement> up = SqlScriptSplitter.split(join(lines, upMarker + 1, downMarker), upMarker + 2);
    List<SqlStatement> down = SqlScriptSplitter.split(join(lines, downMarker + 1, lines.length), downMarker + 2);
    return new MigrationFile(version, name, fileName, origin,
        description != null ? description : name.replace('_', ' '),
        directives, up, down, MigrationChecksum.of(text));
  }

  private static MigrationFile.Directive directive(String text, int lineNumber) {
    for (MigrationFile.Directive d : MigrationFile.Directive.values()) {
      if (d.text().equals(text)) {
        return d;
      }
    }
    throw new MigrationException("line " + lineNumber + ": unknown directive -- migrate:" + text
        + " (known: up, down, foreign-keys-off)");
  }

  private static String join(String[] lines, int from, int to) {
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, to));
  }

  private static String decode(String fileName, byte[] content) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new MigrationException(fileName + ": not valid UTF-8");
    }
  }

  private static ClassLoader defaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : MigrationResolver.class.getClassLoader();
  }
}
