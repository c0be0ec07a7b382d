package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The download's Content-Disposition never lets a filename break out of its header. */
class ContentDispositionTest {

    @Test
    void plainNamesStayReadable() {
        assertThat(ContentDisposition.attachment("holiday.mp4"))
                .isEqualTo("attachment; filename=\"holiday.mp4\"; filename*=UTF-8''holiday.mp4");
    }

    @Test
    void unicodeIsPercentEncodedWithAnAsciiFallback() {
        assertThat(ContentDisposition.attachment("café é.txt"))
                .isEqualTo("attachment; filename=\"caf_ _.txt\"; filename*=UTF-8''caf%C3%A9%20%C3%A9.txt");
    }

    @Test
    void quotesBackslashesAndControlCharactersCannotEscape() {
        String value = ContentDisposition.attachment("a\"b\\c\r\nSet-Cookie: x=1;.txt");
        assertThat(value).doesNotContain("\r").doesNotContain("\n");
        assertThat(value).startsWith("attachment; filename=\"a_b_c__Set-Cookie: x=1;.txt\"; ");
        assertThat(value).endsWith("filename*=UTF-8''a%22b%5Cc%0D%0ASet-Cookie%3A%20x%3D1%3B.txt");
    }

    @Test
    void rightToLeftOverrideIsEncodedNotShown() {
        String value = ContentDisposition.attachment("invoice\u202Efdp.exe");
        assertThat(value).doesNotContain("\u202E").contains("%E2%80%AE");
    }
}
