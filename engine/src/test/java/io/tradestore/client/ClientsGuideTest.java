package io.tradestore.client;

import io.tradestore.support.EngineFixture;
import io.tradestore.support.Repository;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java examples of docs/clients.md, compiled and run as written against a real engine (with its port for the
 * default 7000), so that the guide cannot rot. Their {@code assert} statements are switched on for the run.
 */
class ClientsGuideTest extends EngineFixture {
  private static final Pattern EXAMPLE = Pattern.compile(
      "<!-- example: java[^>]*-->\\n```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

  private static List<String> examples() throws Exception {
    String guide = Files.readString(Repository.path("docs", "clients.md"));
    List<String> examples = new ArrayList<>();
    Matcher matcher = EXAMPLE.matcher(guide);
    while (matcher.find()) {
      examples.add(matcher.group(1));
    }
    return examples;
  }

  @Test
  void eachJavaExampleOfTheGuideCompilesAndRunsAgainstTheEngine() throws Exception {
    List<String> examples = examples();
    assertFalse(examples.isEmpty(), "docs/clients.md has no marked Java example");
    for (String example : examples) {
      assertTrue(example.contains("\"127.0.0.1\", 7000"), "the example speaks to the default port");
      String source = example.replace("\"127.0.0.1\", 7000", "\"127.0.0.1\", " + running.config.bridge().port());
      Matcher name = CLASS_NAME.matcher(source);
      assertTrue(name.find(), "an example is a public class");
      run(name.group(1), source);
    }
  }

  private static void run(String className, String source) throws Exception {
    Path sources = Files.createDirectories(dir.resolve("guide-src"));
    Path classes = Files.createDirectories(dir.resolve("guide-classes"));
    Path file = Files.writeString(sources.resolve(className + ".java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    // surefire's class path is a jar whose manifest lists the test class path; javac follows it
    int status = javac.run(null, null, errors, "-proc:none", "-d", classes.toString(),
        "-classpath", System.getProperty("java.class.path"), file.toString());
    assertEquals(0, status, "the example does not compile:\n" + errors);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ClientsGuideTest.class.getClassLoader())) {
      loader.setDefaultAssertionStatus(true);
      Method main = loader.loadClass(className).getMethod("main", String[].class);
      try {
        main.invoke(null, (Object) new String[0]);
      } catch (InvocationTargetException e) {
        throw new AssertionError("the example " + className + " failed", e.getCause());
      }
    }
  }
}
