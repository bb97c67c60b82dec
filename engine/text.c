/* Text made safe for terminals, spreadsheets and XML (csa/text.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/text.h"

/* The length of the UTF-8 character at s, with its code point in *cp; 0
 * when the bytes there are not UTF-8 (a stray continuation byte, an
 * overlong form, a surrogate, above U+10FFFF, or cut off by the string's
 * end: the terminating NUL is no continuation byte). */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        n = 2, c = b & 0x1F, min = 0x80;
    else if ((b & 0xF0) == 0xE0)
        n = 3, c = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4, c = b & 0x07, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

char *csa_text_escape(const char *s, char *buf, size_t size)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = 0;
    while (*p) {
        uint32_t cp = 0;
        size_t len = utf8_char(p, &cp), outlen = len;
        const char *out = (const char *)p;
        char hex[8];
        if (!len || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            snprintf(hex, sizeof hex, "\\x%02x", len ? (unsigned)cp : (unsigned)*p);
            out = hex, outlen = 4, len = len ? len : 1;
        }
        if (n + outlen >= size)
            break;
        memcpy(buf + n, out, outlen);
        n += outlen, p += len;
    }
    buf[n] = '\0';
    return buf;
}

bool csa_text_formula_like(const char *s)
{
    return s && s[0] && strchr("=+-@\t\r", s[0]);
}

static bool xml_char(uint32_t cp)
{
    return cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF : cp == '\t' || cp == '\n' || cp == '\r';
}

const char *csa_text_xml(const char *s, char **owned)
{
    *owned = NULL;
    if (!s)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t bad = 0;
    uint32_t cp = 0;
    for (size_t len; *p; p += len ? len : 1)
        if (!(len = utf8_char(p, &cp)) || !xml_char(cp))
            bad++;
    if (!bad)
        return s;
    /* each bad character or byte becomes U+FFFD's three bytes */
    size_t total = (size_t)(p - (const unsigned char *)s);
    if (total > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(total + 2 * bad + 1), *o = out;
    if (!out)
        return NULL;
    for (p = (const unsigned char *)s; *p;) {
        size_t len = utf8_char(p, &cp);
        if (len && xml_char(cp)) {
            memcpy(o, p, len);
            o += len, p += len;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3, p += len ? len : 1;
        }
    }
    *o = '\0';
    return *owned = out;
}
