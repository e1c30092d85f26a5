import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Run by the ./rtc4j launcher (JDK 24+, as a source file) on its private copy of a jar before it trains the
 * start-up cache: lifts class files older than Java 6 (major version 49 and below) to version 50 with stack
 * maps computed by the JDK's class-file API. JDK 25's AOT cache leaves out every class that the old,
 * type-inferring verifier checked ("Old class has been linked"), so picocli, built for Java 5, was loaded,
 * verified and interpreted afresh by every command. Version 50 changes no instruction's meaning; the stack
 * maps let the JVM check the classes with the type-checking verifier, at cache time. Usage: IN.jar OUT.jar
 */
public final class StackMapJar {

    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path partial = out.resolveSibling(out.getFileName() + ".part");
        int lifted = 0;
        try (URLClassLoader jar = new URLClassLoader(new java.net.URL[] {in.toUri().toURL()}, null);
                ZipFile zip = new ZipFile(in.toFile());
                OutputStream file = Files.newOutputStream(partial);
                ZipOutputStream copy = new ZipOutputStream(file)) {
            // The stack maps need the common super class of two types: the jar's classes, then the JDK's.
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(jar))));
            for (ZipEntry entry : Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < JAVA_6) {
                        // Rebuilding every method's code is what makes the API compute its stack map.
                        bytes = classFile.transformClass(model,
                                ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                        .andThen(ClassTransform.endHandler(b -> b.withVersion(JAVA_6, 0))));
                        lifted++;
                    }
                }
                copy.putNextEntry(new ZipEntry(entry.getName()));
                copy.write(bytes);
                copy.closeEntry();
            }
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        System.err.println("rtc4j: " + lifted + " class files of " + in.getFileName() + " lifted to version " + JAVA_6);
    }
}
