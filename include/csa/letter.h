/* csa/letter.h: a one-page letter as a PDF (cairo and pango, as the pack):
 * csa request's letter to a partner saying what to send by when. */
#ifndef CSA_LETTER_H
#define CSA_LETTER_H

#include <stddef.h>
#include <time.h>

#include "csa/error.h"

typedef struct csa_letter {
    const char *heading;            /* "Data request: ..." */
    const char *const *address;     /* lines under the heading: to whom, the date */
    size_t naddress;
    const char *const *paragraphs;  /* the body; a paragraph starting "- " is a bullet */
    size_t nparagraphs;
    const char *footer;             /* at the foot of the page, or NULL */
    time_t date;                    /* the PDF's creation date */
} csa_letter;

/* Writes the letter to path as one A4 page; text that does not fit on it
 * is CSA_ERR_LIMIT (a letter never runs on unseen). */
csa_status csa_write_letter(const csa_letter *l, const char *path, csa_error *err);

#endif
