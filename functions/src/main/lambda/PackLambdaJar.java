import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the Lambda jar (functions/pom.xml, after shading and Micronaut AOT), run as a source-file program
 * by the JDK that runs Maven: rewrites {@code target/tollgate-lambda.jar} with
 * <ul>
 *   <li>every {@code .class} entry stored, not deflated: a cold start loads about 8,000 classes from the jar, and
 *       inflating them was about a tenth of its CPU time (docs/PERFORMANCE.md). The jar grows from 85 to 153 MiB,
 *       within Lambda's 250 MB for the unzipped package; the deployment zip compresses it again, so the
 *       upload does not grow (it shrank, 83 to 67 MB). Everything else (native libraries, the ONNX model) stays deflated;</li>
 *   <li>the classes and service files Micronaut AOT generated, appended in name order;</li>
 *   <li>one fixed timestamp on every entry, so that unchanged code gives a byte-identical jar (the CDK asset
 *       hash, and with it the function versions and SnapStart snapshots, stay the same).</li>
 * </ul>
 *
 * <p>Usage: {@code java PackLambdaJar.java <jar> <directory to add> <timestamp, ISO-8601>}
 */
public final class PackLambdaJar {

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path extra = Path.of(args[1]);
        FileTime time = FileTime.from(Instant.parse(args[2]));
        Path packed = jar.resolveSibling(jar.getFileName() + ".packing");
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(packed))) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (Files.exists(extra.resolve(entry.getName())) && !entry.isDirectory()) {
                    continue; // replaced by the generated file of the same name
                }
                try (InputStream data = in.getInputStream(entry)) {
                    write(out, entry.getName(), data.readAllBytes(), time);
                }
            }
            List<Path> generated;
            try (Stream<Path> files = Files.walk(extra)) {
                generated = files.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : generated) {
                write(out, extra.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file), time);
            }
        }
        Files.move(packed, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(ZipOutputStream out, String name, byte[] data, FileTime time) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(time);
        if (name.endsWith(".class")) {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }
}
