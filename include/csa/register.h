/* csa/register.h: the partners' submissions register. One SQLite file
 * (by default submissions.sqlite beside the config; [assessment]
 * register) records every submission a partner sent (csa submit): who,
 * which input, when it was received, each file's SHA-256, bytes and rows,
 * the months it covers, whether it validated and the findings. Every
 * version sent is kept in a store folder beside the register
 * (store/<SHA-256>), written once and never overwritten, so any earlier
 * run can be repeated on exactly the data it used. The register is a
 * single file a user can back up (no WAL files beside it); concurrent
 * writers wait for each other (SQLite transactions, a busy timeout).
 * A file that is not a register of this version is reported, never
 * replaced. */
#ifndef CSA_REGISTER_H
#define CSA_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "csa/assess.h"
#include "csa/error.h"
#include "csa/ingest.h"

/* The register's schema version (PRAGMA user_version). */
enum { CSA_REGISTER_VERSION = 1 };

typedef struct csa_register csa_register;

/* Opens the register at path. With create, an absent register (or an
 * empty file) is made, with its store folder; without, an absent one is
 * CSA_ERR_NOT_FOUND. A file that is not SQLite, or a database of another
 * schema or version, is CSA_ERR_FORMAT saying what to do, and the file is
 * left as it was. *out is the caller's (csa_register_close). */
csa_status csa_register_open(const char *path, bool create, csa_register **out,
                             csa_error *err);
void csa_register_close(csa_register *r);
/* The store folder: every version sent, as store/<SHA-256>. Borrowed. */
const char *csa_register_store(const csa_register *r);

/* One file of a submission. */
typedef struct csa_submission_file {
    char *name;       /* as the partner's file was named when submitted */
    char *stored;     /* its copy in the store */
    char sha256[65];
    uint64_t bytes, rows;
} csa_submission_file;

/* One submission: a partner's files of one input, validated together. */
typedef struct csa_submission {
    int64_t id;       /* in the order received: 1, 2, ... */
    char *partner, *input, *spec;
    int64_t received; /* Unix time (csa_run_time) */
    uint64_t rows, errors, warnings;
    bool valid;       /* no errors */
    char *months;     /* months with rows, "2018-10 2018-11", or "" when none */
    csa_submission_file *files;
    size_t nfiles;
} csa_submission;

void csa_submissions_free(csa_submission *s, size_t n);

/* The result of csa_register_submit: the submission as recorded, and the
 * validations csa validate would print (one per file, and the set's when
 * there is more than one file, else NULL). Free with
 * csa_submit_result_free. */
typedef struct csa_submit_result {
    csa_submission sub;
    csa_validation **checked; /* sub.nfiles */
    csa_validation *set;
} csa_submit_result;
void csa_submit_result_free(csa_submit_result *res);

/* Records partner cfg->partners[partner]'s files[0..n) as a submission of
 * cfg->inputs[input]: each is copied into the store (by its SHA-256,
 * atomically: a temporary file, fsync, then a link to its name; a version
 * already there is kept as it is), the stored copies are validated as csa
 * run validates the input, and the submission, its files and findings are
 * added in one transaction. A submission with errors is recorded too (as
 * not valid). received: its time (csa_run_time). *out is the caller's. */
csa_status csa_register_submit(csa_register *r, const csa_config *cfg, size_t partner,
                               size_t input, const char *const *files, size_t n,
                               int64_t received, csa_submit_result **out, csa_error *err);

/* How csa submit (and csa run) validate nfiles files of cfg->inputs[input]:
 * the seam for a validator that reads a partner's file from memory
 * (csa_source_from_buffer, csa_validate, then csa_validate_set for
 * several files) and so gives exactly the findings csa submit records. */
csa_validate_options csa_register_validate_options(const csa_config *cfg, size_t input,
                                                   size_t nfiles);

/* Every submission of the input named `input`, newest first (received,
 * then order of recording). *out is the caller's (csa_submissions_free). */
csa_status csa_register_history(csa_register *r, const char *input, csa_submission **out,
                                size_t *n, csa_error *err);

/* Months of the period first..last (first days of months) that the
 * submission's `months` lacks, as runs ("Oct 2018, Dec 2018"), or "none",
 * into buf. */
void csa_register_missing(const csa_submission *s, int32_t first, int32_t last, char *buf,
                          size_t size);
/* Days from `due` (days since 1970) to the day (UTC) of `received`; 0 when
 * on time or early. */
int csa_days_late(int64_t received, int32_t due);

/* For csa run: each input with from = register gets the files of its
 * latest valid submission (stored copies), and its received time and
 * due date; an input with no valid submission is CSA_ERR_NOT_FOUND saying
 * what to send. Inputs with files are left alone. */
csa_status csa_register_resolve(csa_config *cfg, csa_error *err);

/* Digest reuse: the SHA-256 the register last recorded for the file at
 * path, when the file's device, inode, size and modification time (ns)
 * are still those of sb; *found false otherwise. */
csa_status csa_register_known_digest(csa_register *r, const char *path, const struct stat *sb,
                                     char hex[65], bool *found, csa_error *err);
/* Records the digests of paths[0..n) as of sbs[i] for later runs, in one
 * transaction; a path whose hex[i] is NULL is skipped. */
csa_status csa_register_remember_digests(csa_register *r, const char *const *paths,
                                         const struct stat *sbs, const char *const *hex,
                                         size_t n, csa_error *err);

/* ---- csa request ---- */

/* Writes folder dir for partner cfg->partners[p], all or nothing as csa
 * run writes its outputs (report/outdir.c): for each input they supply,
 * INPUT-template.csv with the exact header the run reads (the spec's
 * columns, then the answer and breakdown columns the config's survey
 * indicators read); request.xlsx (who, the period, the due date, and a
 * sheet per input describing every column: type, required, allowed
 * values, example, description, from the spec); letter.pdf, one page
 * saying what to send by when and how it will be checked; with page (the
 * validator page, web/validator.html, or NULL), a copy of it as
 * validator.html, which the letter names; and manifest.json. */
csa_status csa_request_write(const csa_config *cfg, size_t p, const char *dir, const char *page,
                             csa_error *err);

#endif
