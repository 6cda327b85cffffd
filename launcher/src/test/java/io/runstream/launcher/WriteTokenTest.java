package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteTokenTest {

    @Test
    void writesAFreshTokenReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("api-write-token");
        String token = WriteToken.generate();

        WriteToken.write(file, token);

        assertThat(token).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(WriteToken.generate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(WriteToken.read(file, Map.of())).isEqualTo(token);
    }

    @Test
    void takesTheGivenFileBeforeTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  from-the-file-0123456789\n");

        assertThat(WriteToken.read(file, Map.of(WriteToken.ENV, "from-the-environment"))).isEqualTo(
                "from-the-file-0123456789");
        assertThat(WriteToken.read(null, Map.of(WriteToken.ENV, "from-the-environment"))).isEqualTo(
                "from-the-environment");
        assertThat(WriteToken.read(null, Map.of(WriteToken.FILE_ENV, file.toString()))).isEqualTo(
                "from-the-file-0123456789");
        assertThat(WriteToken.configured(Map.of(WriteToken.FILE_ENV, file.toString()))).isTrue();
        assertThat(WriteToken.configured(Map.of())).isFalse();
    }

    @Test
    void saysWhichFileCannotBeReadOrIsEmpty(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> WriteToken.read(dir.resolve("missing"), Map.of()))
                .hasMessageContaining("cannot read the token file").hasMessageContaining("missing");
        assertThatThrownBy(() -> WriteToken.read(empty, Map.of())).hasMessageContaining("is empty");
    }
}
