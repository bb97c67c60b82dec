/* csa/text.h: text from inputs and the config made safe for where it is
 * written. Data is hostile until shown otherwise: a value may carry a
 * terminal escape sequence, a spreadsheet formula, or a character that XML
 * forbids, and each output reads one of those as something to act on. */
#ifndef CSA_TEXT_H
#define CSA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Writes s into buf (size bytes, at least 1; cut at a whole character)
 * with every byte a terminal acts on shown as \xNN: the C0 controls (tab
 * and line feed included), DEL, the C1 controls U+0080 to U+009F (as \x80
 * to \x9f) and each byte that is not part of valid UTF-8. Other text,
 * backslashes included, is copied as it is, so escaping twice changes
 * nothing. s may be NULL (""). Returns buf. */
char *csa_text_escape(const char *s, char *buf, size_t size);

/* Whether a spreadsheet opening a CSV file reads text s as a formula:
 * it starts with =, +, -, @, tab or carriage return (OWASP's list for CSV
 * injection). CSV writers put a single quote before such text cells, and
 * never before a number written from a numeric column. */
bool csa_text_formula_like(const char *s);

/* s as XML 1.0 allows it in text: each character XML forbids (the C0
 * controls but tab, line feed and carriage return; U+FFFE and U+FFFF) and
 * each byte that is not part of valid UTF-8 replaced by U+FFFD. Returns s
 * itself when nothing needs replacing (*owned NULL); otherwise a new
 * string, also stored in *owned for the caller to free. NULL when s is
 * NULL, and when out of memory (then s is not NULL). */
const char *csa_text_xml(const char *s, char **owned);

#endif
