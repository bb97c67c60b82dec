/* The partners' submissions register (csa/register.h): SQLite for the
 * records, a content-addressed store folder for the files. */
#include "csa/register.h"
#include "csa/file.h"
#include "csa/month.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct csa_register {
    sqlite3 *db;
    char *path;
    char *store;
};

/* Each table a register holds; a database without them (or with other
 * columns) is not a register this csa can read. */
static const char SCHEMA[] =
    "CREATE TABLE submission (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  partner TEXT NOT NULL, input TEXT NOT NULL, spec TEXT NOT NULL,\n"
    "  received INTEGER NOT NULL,          -- Unix time\n"
    "  rows INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,\n"
    "  valid INTEGER NOT NULL,             -- 1: no errors\n"
    "  months TEXT NOT NULL                -- months with rows: 2018-10 2018-11\n"
    ");\n"
    "CREATE TABLE submission_file (\n"
    "  submission INTEGER NOT NULL REFERENCES submission(id),\n"
    "  position INTEGER NOT NULL,\n"
    "  name TEXT NOT NULL,                 -- as submitted\n"
    "  sha256 TEXT NOT NULL,               -- its copy: store/<sha256>\n"
    "  bytes INTEGER NOT NULL, rows INTEGER NOT NULL,\n"
    "  PRIMARY KEY (submission, position)\n"
    ");\n"
    "CREATE TABLE finding (\n"
    "  submission INTEGER NOT NULL REFERENCES submission(id),\n"
    "  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,\n"
    "  check_name TEXT NOT NULL, severity TEXT NOT NULL, field TEXT NOT NULL,\n"
    "  value TEXT NOT NULL, message TEXT NOT NULL, advice TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE file_digest (             -- digests csa run need not work out again\n"
    "  path TEXT PRIMARY KEY, device INTEGER NOT NULL, inode INTEGER NOT NULL,\n"
    "  bytes INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX submission_input ON submission(input, received);\n";

/* A query naming every column the code reads: it prepares only on a
 * register of this schema. */
static const char SCHEMA_CHECK[] =
    "SELECT s.id, s.partner, s.input, s.spec, s.received, s.rows, s.errors, s.warnings, "
    "s.valid, s.months, f.position, f.name, f.sha256, f.bytes, f.rows, g.file, g.line, g.col, "
    "g.check_name, g.severity, g.field, g.value, g.message, g.advice, d.path, d.device, "
    "d.inode, d.bytes, d.mtime_ns, d.sha256 FROM submission s, submission_file f, finding g, "
    "file_digest d LIMIT 0";

/* Writers wait this long for each other (a submit holds the lock for the
 * moments its inserts take). */
enum { BUSY_MS = 60000 };

static csa_status db_error(csa_register *r, csa_error *err, const char *doing)
{
    int code = sqlite3_errcode(r->db);
    if (code == SQLITE_NOMEM)
        return csa_error_set(err, CSA_ERR_NOMEM, r->path, 0, 0, NULL, NULL, "out of memory");
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return csa_error_set(err, CSA_ERR_FORMAT, r->path, 0, 0, NULL, NULL,
                             "is not a csa submissions register (not a SQLite database, or "
                             "damaged): restore it from a backup, or give another file as "
                             "[assessment] register; csa leaves this one as it is");
    return csa_error_set(err, CSA_ERR_IO, r->path, 0, 0, NULL, NULL, "cannot %s the register: %s",
                         doing, sqlite3_errmsg(r->db));
}

static bool exec(csa_register *r, const char *sql)
{
    return sqlite3_exec(r->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* One integer from sql, or -1 on failure. */
static int64_t query_int(csa_register *r, const char *sql)
{
    sqlite3_stmt *q;
    int64_t v = -1;
    if (sqlite3_prepare_v2(r->db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

const char *csa_register_store(const csa_register *r)
{
    return r->store;
}

void csa_register_close(csa_register *r)
{
    if (!r)
        return;
    sqlite3_close(r->db);
    free(r->path);
    free(r->store);
    free(r);
}

/* A new register's tables, made under the write lock: a concurrent
 * csa submit that made them first is seen, and they are made once. */
static csa_status make_schema(csa_register *r, csa_error *err)
{
    if (!exec(r, "BEGIN IMMEDIATE"))
        return db_error(r, err, "write");
    int64_t version = query_int(r, "PRAGMA user_version");
    int64_t tables = query_int(r, "SELECT count(*) FROM sqlite_master");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", CSA_REGISTER_VERSION);
    bool ok = version >= 0 && tables >= 0;
    if (ok && version == 0 && tables == 0)
        ok = exec(r, SCHEMA) && exec(r, sql);
    if (!ok || !exec(r, "COMMIT")) {
        csa_status st = db_error(r, err, "write");
        exec(r, "ROLLBACK");
        return st;
    }
    return CSA_OK;
}

csa_status csa_register_open(const char *path, bool create, csa_register **out,
                             csa_error *err)
{
    *out = NULL;
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && !create)
        return csa_error_set(err, CSA_ERR_NOT_FOUND, path, 0, 0, NULL, NULL,
                             "there is no register yet: csa submit makes it with the first "
                             "submission");
    if (exists && !S_ISREG(sb.st_mode))
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                             "is not a file: give the register file ([assessment] register)");
    csa_register *r = calloc(1, sizeof *r);
    const char *slash = strrchr(path, '/');
    if (!r || !(r->path = strdup(path)) ||
        asprintf(&r->store, "%.*sstore", slash ? (int)(slash - path) + 1 : 0, path) < 0) {
        if (r)
            r->store = NULL;
        csa_register_close(r);
        return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
    }
    csa_status st = CSA_OK;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &r->db, flags, NULL) != SQLITE_OK) {
        st = db_error(r, err, "open");
        goto fail;
    }
    sqlite3_busy_timeout(r->db, BUSY_MS);
    sqlite3_extended_result_codes(r->db, 0);
    /* both read in one transaction: a first csa submit running beside
     * this one may make the schema between two reads of their own, and a
     * version of 0 with tables would read as someone else's database */
    if (!exec(r, "BEGIN")) {
        st = db_error(r, err, "read");
        goto fail;
    }
    int64_t version = query_int(r, "PRAGMA user_version");
    int64_t tables = query_int(r, "SELECT count(*) FROM sqlite_master");
    if (version < 0 || tables < 0 || !exec(r, "COMMIT")) {
        st = db_error(r, err, "read");
        exec(r, "ROLLBACK");
        goto fail;
    }
    if (version == 0 && tables == 0) {
        if (!create) {
            st = csa_error_set(err, CSA_ERR_NOT_FOUND, path, 0, 0, NULL, NULL,
                               "the register holds no submissions yet");
            goto fail;
        }
        if ((st = make_schema(r, err)))
            goto fail;
        version = query_int(r, "PRAGMA user_version");
    }
    if (version != CSA_REGISTER_VERSION) {
        st = csa_error_set(err, CSA_ERR_FORMAT, path, 0, 0, NULL, NULL,
                           version == 0 ? "is a SQLite database but not a csa submissions "
                                          "register: give another file as [assessment] "
                                          "register; csa leaves this one as it is"
                                        : "is a register of version %lld, and this csa reads "
                                          "version %d: use the csa that wrote it, or restore a "
                                          "backup; csa leaves this one as it is",
                           (long long)version, CSA_REGISTER_VERSION);
        goto fail;
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(r->db, SCHEMA_CHECK, -1, &q, NULL) != SQLITE_OK) {
        st = csa_error_set(err, CSA_ERR_FORMAT, path, 0, 0, NULL, NULL,
                           "is a register of version %d whose tables are not as csa made them "
                           "(%s): restore it from a backup; csa leaves this one as it is",
                           CSA_REGISTER_VERSION, sqlite3_errmsg(r->db));
        goto fail;
    }
    sqlite3_finalize(q);
    if (create && mkdir(r->store, 0777) != 0 && errno != EEXIST) {
        st = csa_error_set(err, CSA_ERR_IO, r->store, 0, 0, NULL, NULL,
                           "cannot make the register's store folder: %s", strerror(errno));
        goto fail;
    }
    *out = r;
    return CSA_OK;
fail:
    csa_register_close(r);
    return st;
}

/* ---- the store ---- */

static csa_status sync_dir(const char *dir, csa_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return csa_error_set(err, CSA_ERR_IO, dir, 0, 0, NULL, NULL, "cannot sync: %s",
                             strerror(e));
    }
    close(fd);
    return CSA_OK;
}

/* Copies path into the store as store/<its SHA-256>, hashing as it copies:
 * the copy is written to a temporary file, synced, and linked to its name,
 * so a reader sees a whole version or none, and a version already stored
 * (the same bytes sent again, or by a concurrent submit) is left as it
 * is. *stored is the caller's. */
static csa_status store_file(csa_register *r, const char *path, char hex[65], uint64_t *bytes,
                             char **stored, csa_error *err)
{
    FILE *in = NULL, *tmp = NULL;
    uint64_t size;
    char *tmp_path = NULL;
    EVP_MD_CTX *ctx = NULL;
    csa_status st = csa_file_open(path, &in, &size, err);
    *stored = NULL;
    if (st)
        return st;
    if (asprintf(&tmp_path, "%s/.incoming-XXXXXX", r->store) < 0) {
        tmp_path = NULL;
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    int fd = mkstemp(tmp_path);
    if (fd < 0 || !(tmp = fdopen(fd, "wb"))) {
        st = csa_error_set(err, CSA_ERR_IO, r->store, 0, 0, NULL, NULL,
                           "cannot write in the register's store: %s", strerror(errno));
        if (fd >= 0)
            close(fd), unlink(tmp_path);
        goto fail;
    }
    if (!(ctx = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "cannot start a digest");
        goto fail_tmp;
    }
    unsigned char buf[1 << 16];
    uint64_t total = 0;
    size_t n;
    while (total <= size && (n = fread(buf, 1, sizeof buf, in)) > 0) {
        EVP_DigestUpdate(ctx, buf, n);
        total += n;
        if (fwrite(buf, 1, n, tmp) != n) {
            st = csa_error_set(err, CSA_ERR_IO, r->store, 0, 0, NULL, NULL,
                               errno == ENOSPC ? "disk full" : "cannot write: %s",
                               strerror(errno));
            goto fail_tmp;
        }
    }
    if (ferror(in)) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot read: %s",
                           strerror(errno));
        goto fail_tmp;
    }
    if ((st = csa_file_check(in, path, total, err)))
        goto fail_tmp;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (fflush(tmp) != 0 || fsync(fileno(tmp)) != 0 || fchmod(fileno(tmp), 0444) != 0) {
        st = csa_error_set(err, CSA_ERR_IO, r->store, 0, 0, NULL, NULL,
                           errno == ENOSPC ? "disk full" : "cannot write: %s", strerror(errno));
        goto fail_tmp;
    }
    int closed = fclose(tmp);
    tmp = NULL;
    if (closed != 0 || asprintf(stored, "%s/%s", r->store, hex) < 0) {
        *stored = NULL;
        st = closed ? csa_error_set(err, CSA_ERR_IO, r->store, 0, 0, NULL, NULL,
                                    "cannot write: %s", strerror(errno))
                    : csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail_tmp;
    }
    /* link, never rename: a version already stored is not replaced */
    if (link(tmp_path, *stored) != 0 && errno != EEXIST) {
        st = csa_error_set(err, CSA_ERR_IO, *stored, 0, 0, NULL, NULL,
                           "cannot store the file: %s", strerror(errno));
        goto fail_tmp;
    }
    unlink(tmp_path);
    if ((st = sync_dir(r->store, err)))
        goto fail;
    *bytes = total;
    goto done;
fail_tmp:
    if (tmp)
        fclose(tmp);
    unlink(tmp_path);
fail:
    free(*stored);
    *stored = NULL;
done:
    EVP_MD_CTX_free(ctx);
    free(tmp_path);
    fclose(in);
    return st;
}

/* ---- submissions ---- */

static bool remember(sqlite3 *db, const char *const *paths, const struct stat *sbs,
                     const char *const *hex, size_t n);

static void submission_clear(csa_submission *s)
{
    for (size_t f = 0; f < s->nfiles; f++)
        free(s->files[f].name), free(s->files[f].stored);
    free(s->files);
    free(s->partner), free(s->input), free(s->spec), free(s->months);
    *s = (csa_submission){0};
}

void csa_submissions_free(csa_submission *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        submission_clear(&s[i]);
    free(s);
}

void csa_submit_result_free(csa_submit_result *res)
{
    if (!res)
        return;
    for (size_t f = 0; res->checked && f < res->sub.nfiles; f++)
        csa_validation_free(res->checked[f]);
    free(res->checked);
    csa_validation_free(res->set);
    submission_clear(&res->sub);
    free(res);
}

/* Findings name the partner's file, not its stored copy. */
static void rename_in(char *text, size_t size, const char *from, const char *to)
{
    char *at = strstr(text, from);
    if (!at)
        return;
    char rest[CSA_ERROR_MESSAGE_MAX];
    snprintf(rest, sizeof rest, "%s", at + strlen(from));
    snprintf(at, size - (size_t)(at - text), "%s%s", to, rest);
}

static void name_files(csa_validation *v, const csa_submission *s)
{
    for (size_t i = 0; v && i < v->nfindings; i++)
        for (size_t f = 0; f < s->nfiles; f++) {
            csa_error *w = &v->findings[i].where;
            rename_in(w->file, sizeof w->file, s->files[f].stored, s->files[f].name);
            rename_in(w->message, sizeof w->message, s->files[f].stored, s->files[f].name);
        }
}

/* The months with rows over every file, "2018-10 2018-11". */
static char *months_text(csa_validation *const *checked, size_t n)
{
    int32_t first = INT32_MAX, last = INT32_MIN;
    for (size_t f = 0; f < n; f++)
        for (size_t m = 0; m < checked[f]->nmonths; m++)
            if (checked[f]->month_rows[m]) {
                int32_t month = csa_month_add(checked[f]->first_period, (int)m);
                first = month < first ? month : first;
                last = month > last ? month : last;
            }
    char *out = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&out, &size);
    if (!fp)
        return NULL;
    for (int32_t month = first; first <= last && month <= last; month = csa_month_add(month, 1)) {
        bool has = false;
        for (size_t f = 0; f < n && !has; f++) {
            int k = csa_month_diff(month, checked[f]->first_period);
            has = k >= 0 && (size_t)k < checked[f]->nmonths && checked[f]->month_rows[k];
        }
        char text[CSA_DATE_TEXT_MAX];
        csa_format_date(month, true, text);
        if (has)
            fprintf(fp, "%s%s", ftell(fp) ? " " : "", text);
    }
    return fclose(fp) == 0 ? out : (free(out), NULL);
}

static bool bind_text(sqlite3_stmt *q, int i, const char *s)
{
    return sqlite3_bind_text(q, i, s ? s : "", -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

static bool add_findings(sqlite3 *db, int64_t id, const csa_validation *v, const char *file)
{
    sqlite3_stmt *q;
    if (!v || !v->nfindings)
        return true;
    if (sqlite3_prepare_v2(db, "INSERT INTO finding VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
                           &q, NULL) != SQLITE_OK)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < v->nfindings; i++) {
        const csa_finding *f = &v->findings[i];
        sqlite3_reset(q);
        ok = sqlite3_bind_int64(q, 1, id) == SQLITE_OK &&
             bind_text(q, 2, f->where.file[0] ? f->where.file : file) &&
             sqlite3_bind_int64(q, 3, (int64_t)f->where.line) == SQLITE_OK &&
             sqlite3_bind_int64(q, 4, (int64_t)f->where.column) == SQLITE_OK &&
             bind_text(q, 5, f->check) && bind_text(q, 6, csa_severity_name(f->severity)) &&
             bind_text(q, 7, f->where.field) && bind_text(q, 8, f->where.value) &&
             bind_text(q, 9, f->where.message) && bind_text(q, 10, f->advice) &&
             sqlite3_step(q) == SQLITE_DONE;
    }
    sqlite3_finalize(q);
    return ok;
}

/* The submission, its files and findings, in one transaction: a
 * concurrent submit waits for the lock (busy timeout), and none is lost. */
static csa_status record(csa_register *r, csa_submit_result *res, csa_error *err)
{
    csa_submission *s = &res->sub;
    sqlite3_stmt *q = NULL;
    if (!exec(r, "BEGIN IMMEDIATE"))
        return db_error(r, err, "write");
    bool ok = sqlite3_prepare_v2(r->db, "INSERT INTO submission (partner, input, spec, "
                                        "received, rows, errors, warnings, valid, months) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 -1, &q, NULL) == SQLITE_OK &&
              bind_text(q, 1, s->partner) && bind_text(q, 2, s->input) &&
              bind_text(q, 3, s->spec) && sqlite3_bind_int64(q, 4, s->received) == SQLITE_OK &&
              sqlite3_bind_int64(q, 5, (int64_t)s->rows) == SQLITE_OK &&
              sqlite3_bind_int64(q, 6, (int64_t)s->errors) == SQLITE_OK &&
              sqlite3_bind_int64(q, 7, (int64_t)s->warnings) == SQLITE_OK &&
              sqlite3_bind_int(q, 8, s->valid) == SQLITE_OK && bind_text(q, 9, s->months) &&
              sqlite3_step(q) == SQLITE_DONE;
    sqlite3_finalize(q);
    q = NULL;
    s->id = sqlite3_last_insert_rowid(r->db);
    if (ok)
        ok = sqlite3_prepare_v2(r->db, "INSERT INTO submission_file VALUES (?, ?, ?, ?, ?, ?)",
                                -1, &q, NULL) == SQLITE_OK;
    for (size_t f = 0; ok && f < s->nfiles; f++) {
        sqlite3_reset(q);
        ok = sqlite3_bind_int64(q, 1, s->id) == SQLITE_OK &&
             sqlite3_bind_int64(q, 2, (int64_t)f) == SQLITE_OK && bind_text(q, 3, s->files[f].name) &&
             bind_text(q, 4, s->files[f].sha256) &&
             sqlite3_bind_int64(q, 5, (int64_t)s->files[f].bytes) == SQLITE_OK &&
             sqlite3_bind_int64(q, 6, (int64_t)s->files[f].rows) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_DONE;
    }
    sqlite3_finalize(q);
    for (size_t f = 0; ok && f < s->nfiles; f++)
        ok = add_findings(r->db, s->id, res->checked[f], s->files[f].name);
    /* the stored copies' digests, for csa run's manifest (never rewritten) */
    for (size_t f = 0; ok && f < s->nfiles; f++) {
        struct stat sb;
        const char *path = s->files[f].stored, *hex = s->files[f].sha256;
        if (stat(path, &sb) == 0)
            ok = remember(r->db, &path, &sb, &hex, 1);
    }
    if (ok)
        ok = add_findings(r->db, s->id, res->set, s->input);
    if (!ok || !exec(r, "COMMIT")) {
        csa_status st = db_error(r, err, "write");
        exec(r, "ROLLBACK");
        return st;
    }
    return CSA_OK;
}

csa_status csa_register_submit(csa_register *r, const csa_config *cfg, size_t partner,
                               size_t input, const char *const *files, size_t n,
                               int64_t received, csa_submit_result **out, csa_error *err)
{
    const csa_config_input *ci = &cfg->inputs[input];
    csa_submit_result *res = calloc(1, sizeof *res);
    csa_submission *s = res ? &res->sub : NULL;
    csa_status st = CSA_ERR_NOMEM;
    *out = NULL;
    if (!res || !(s->files = calloc(n, sizeof *s->files)) ||
        !(res->checked = calloc(n, sizeof *res->checked)) ||
        !(s->partner = strdup(cfg->partners[partner].name)) || !(s->input = strdup(ci->name)) ||
        !(s->spec = strdup(ci->spec->name)))
        goto nomem;
    s->received = received;
    for (size_t f = 0; f < n; f++, s->nfiles++) {
        csa_submission_file *sf = &s->files[f];
        if (!(sf->name = strdup(files[f])))
            goto nomem;
        if ((st = store_file(r, files[f], sf->sha256, &sf->bytes, &sf->stored, err)))
            goto fail;
    }
    /* the stored copies are what is validated: what a run will read */
    csa_validate_options vo = csa_register_validate_options(cfg, input, n);
    const char **stored = calloc(n, sizeof *stored);
    if (!stored)
        goto nomem;
    for (size_t f = 0; f < n; f++) {
        csa_source src;
        stored[f] = s->files[f].stored;
        if ((st = csa_source_open_file(&src, stored[f], err)))
            break;
        st = csa_validate(&src, &vo, &res->checked[f], err);
        csa_source_close(&src);
        if (st)
            break;
        const csa_validation *v = res->checked[f];
        s->files[f].rows = v->rows;
        s->rows += v->rows, s->errors += v->errors, s->warnings += v->warnings;
    }
    if (!st && (vo.coverage_across_files || n > 1)) {
        st = csa_validate_set((const csa_validation *const *)res->checked, stored, n, &vo,
                              &res->set, err);
        for (size_t k = 0; !st && k < res->set->nchecks; k++) {
            s->errors += res->set->checks[k].severity == CSA_ERROR ? res->set->checks[k].count : 0;
            s->warnings += res->set->checks[k].severity == CSA_WARNING ? res->set->checks[k].count
                                                                       : 0;
        }
    }
    free(stored);
    if (st)
        goto fail;
    for (size_t f = 0; f < n; f++)
        name_files(res->checked[f], s);
    name_files(res->set, s);
    s->valid = s->errors == 0;
    if (!(s->months = months_text(res->checked, n)))
        goto nomem;
    if ((st = record(r, res, err)))
        goto fail;
    *out = res;
    return CSA_OK;
nomem:
    st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
fail:
    csa_submit_result_free(res);
    return st;
}

csa_validate_options csa_register_validate_options(const csa_config *cfg, size_t input,
                                                   size_t nfiles)
{
    return as_validate_options(cfg, input, nfiles);
}

static char *column_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return strdup(t ? (const char *)t : "");
}

csa_status csa_register_history(csa_register *r, const char *input, csa_submission **out,
                                size_t *n, csa_error *err)
{
    sqlite3_stmt *q = NULL, *fq = NULL;
    csa_submission *v = NULL;
    size_t count = 0;
    bool nomem = false;
    *out = NULL, *n = 0;
    /* one read transaction: the submissions and their files as of one moment */
    if (!exec(r, "BEGIN") ||
        sqlite3_prepare_v2(r->db, "SELECT id, partner, input, spec, received, rows, errors, "
                                  "warnings, valid, months FROM submission WHERE input = ? "
                                  "ORDER BY received DESC, id DESC", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db, "SELECT name, sha256, bytes, rows FROM submission_file "
                                  "WHERE submission = ? ORDER BY position", -1, &fq,
                           NULL) != SQLITE_OK || !bind_text(q, 1, input))
        goto fail;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && !nomem) {
        csa_submission *more = realloc(v, (count + 1) * sizeof *v);
        if (!more) {
            nomem = true;
            break;
        }
        v = more;
        csa_submission *s = &v[count++];
        *s = (csa_submission){.id = sqlite3_column_int64(q, 0), .partner = column_text(q, 1),
                              .input = column_text(q, 2), .spec = column_text(q, 3),
                              .received = sqlite3_column_int64(q, 4),
                              .rows = (uint64_t)sqlite3_column_int64(q, 5),
                              .errors = (uint64_t)sqlite3_column_int64(q, 6),
                              .warnings = (uint64_t)sqlite3_column_int64(q, 7),
                              .valid = sqlite3_column_int(q, 8) != 0, .months = column_text(q, 9)};
        nomem |= !s->partner || !s->input || !s->spec || !s->months;
        sqlite3_reset(fq);
        sqlite3_bind_int64(fq, 1, s->id);
        while (!nomem && (rc = sqlite3_step(fq)) == SQLITE_ROW) {
            csa_submission_file *files = realloc(s->files, (s->nfiles + 1) * sizeof *files);
            if (!files) {
                nomem = true;
                break;
            }
            s->files = files;
            csa_submission_file *f = &s->files[s->nfiles++];
            *f = (csa_submission_file){.name = column_text(fq, 0),
                                       .bytes = (uint64_t)sqlite3_column_int64(fq, 2),
                                       .rows = (uint64_t)sqlite3_column_int64(fq, 3)};
            snprintf(f->sha256, sizeof f->sha256, "%s", sqlite3_column_text(fq, 1));
            nomem |= !f->name || asprintf(&f->stored, "%s/%s", r->store, f->sha256) < 0;
        }
        if (!nomem && rc != SQLITE_DONE)
            goto fail;
    }
    if (nomem || rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(q);
    sqlite3_finalize(fq);
    exec(r, "COMMIT");
    *out = v, *n = count;
    return CSA_OK;
fail:;
    csa_status st = nomem ? csa_error_set(err, CSA_ERR_NOMEM, r->path, 0, 0, NULL, NULL,
                                          "out of memory")
                          : db_error(r, err, "read");
    sqlite3_finalize(q);
    sqlite3_finalize(fq);
    exec(r, "ROLLBACK");
    csa_submissions_free(v, count);
    return st;
}

void csa_register_missing(const csa_submission *s, int32_t first, int32_t last, char *buf,
                          size_t size)
{
    int n = csa_month_diff(last, first) + 1;
    bool present[AS_MAX_MONTHS] = {false};
    if (n > AS_MAX_MONTHS)
        n = AS_MAX_MONTHS;
    for (const char *p = s->months; *p;) {
        int32_t month;
        size_t len = strcspn(p, " ");
        if (csa_parse_date(p, len, &month)) {
            int k = csa_month_diff(month, first);
            if (k >= 0 && k < n)
                present[k] = true;
        }
        p += len + (p[len] == ' ');
    }
    if (!as_month_runs(first, (size_t)n, present, buf, size))
        snprintf(buf, size, "none");
}

int csa_days_late(int64_t received, int32_t due)
{
    int64_t day = received >= 0 ? received / 86400 : -((-received + 86399) / 86400);
    return day > due ? (int)(day - due) : 0;
}

/* ---- csa run ---- */

csa_status csa_register_resolve(csa_config *cfg, csa_error *err)
{
    csa_register *r = NULL;
    csa_status st = CSA_OK;
    for (size_t i = 0; i < cfg->ninputs && !st; i++) {
        csa_config_input *ci = &cfg->inputs[i];
        if (!ci->from_register)
            continue;
        const csa_config_partner *p = NULL;
        for (size_t q = 0; q < cfg->npartners && !p; q++)
            for (size_t j = 0; j < cfg->partners[q].inputs.n; j++)
                if (!strcmp(cfg->partners[q].inputs.v[j], ci->name))
                    p = &cfg->partners[q];
        if (!r && (st = csa_register_open(cfg->register_path, false, &r, err)))
            break;
        csa_submission *subs;
        size_t n, use = 0;
        if ((st = csa_register_history(r, ci->name, &subs, &n, err)))
            break;
        while (use < n && !subs[use].valid)
            use++;
        if (use == n) {
            st = csa_error_set(err, CSA_ERR_NOT_FOUND, cfg->register_path, 0, 0, NULL, ci->name,
                               "[input.%s] is from the register, which has %s of it%s: "
                               "csa submit --partner %s --input %s FILE...", ci->name,
                               n ? "no valid submission" : "no submission",
                               n ? " (csa status shows why)" : "", p ? p->name : "NAME",
                               ci->name);
        } else {
            const csa_submission *s = &subs[use];
            char **files = calloc(s->nfiles, sizeof *files);
            for (size_t f = 0; files && f < s->nfiles; f++)
                if (!(files[f] = strdup(s->files[f].stored))) {
                    for (size_t k = 0; k < f; k++)
                        free(files[k]);
                    free(files);
                    files = NULL;
                }
            for (size_t f = 0; files && f < s->nfiles && !st; f++)
                if (access(files[f], R_OK) != 0)
                    st = csa_error_set(err, CSA_ERR_NOT_FOUND, files[f], 0, 0, NULL, NULL,
                                       "[input.%s]: the store lacks %s, submitted as %s: "
                                       "restore the store folder from a backup",
                                       ci->name, s->files[f].sha256, s->files[f].name);
            if (!files) {
                st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
            } else {
                for (size_t f = 0; f < ci->files.n; f++)
                    free(ci->files.v[f]);
                free(ci->files.v);
                ci->files.v = files, ci->files.n = s->nfiles;
                ci->received = s->received;
                ci->due = p ? p->due : 0;
            }
        }
        csa_submissions_free(subs, n);
    }
    csa_register_close(r);
    return st;
}

/* ---- digests ---- */

static int64_t mtime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

csa_status csa_register_known_digest(csa_register *r, const char *path, const struct stat *sb,
                                     char hex[65], bool *found, csa_error *err)
{
    sqlite3_stmt *q;
    char real[PATH_MAX];
    *found = false;
    if (!realpath(path, real))
        return CSA_OK;
    if (sqlite3_prepare_v2(r->db, "SELECT sha256 FROM file_digest WHERE path = ? AND "
                                  "device = ? AND inode = ? AND bytes = ? AND mtime_ns = ?",
                           -1, &q, NULL) != SQLITE_OK)
        return db_error(r, err, "read");
    bind_text(q, 1, real);
    sqlite3_bind_int64(q, 2, (int64_t)sb->st_dev);
    sqlite3_bind_int64(q, 3, (int64_t)sb->st_ino);
    sqlite3_bind_int64(q, 4, (int64_t)sb->st_size);
    sqlite3_bind_int64(q, 5, mtime_ns(sb));
    int rc = sqlite3_step(q);
    const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
    if (t && strlen((const char *)t) == 64) {
        memcpy(hex, t, 65);
        *found = true;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CSA_OK : db_error(r, err, "read");
}

/* Inside a transaction. */
static bool remember(sqlite3 *db, const char *const *paths, const struct stat *sbs,
                     const char *const *hex, size_t n)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO file_digest VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &q, NULL) != SQLITE_OK)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        char real[PATH_MAX];
        if (!hex[i] || !realpath(paths[i], real))
            continue;
        sqlite3_reset(q);
        ok = bind_text(q, 1, real) &&
             sqlite3_bind_int64(q, 2, (int64_t)sbs[i].st_dev) == SQLITE_OK &&
             sqlite3_bind_int64(q, 3, (int64_t)sbs[i].st_ino) == SQLITE_OK &&
             sqlite3_bind_int64(q, 4, (int64_t)sbs[i].st_size) == SQLITE_OK &&
             sqlite3_bind_int64(q, 5, mtime_ns(&sbs[i])) == SQLITE_OK && bind_text(q, 6, hex[i]) &&
             sqlite3_step(q) == SQLITE_DONE;
    }
    sqlite3_finalize(q);
    return ok;
}

csa_status csa_register_remember_digests(csa_register *r, const char *const *paths,
                                         const struct stat *sbs, const char *const *hex,
                                         size_t n, csa_error *err)
{
    if (!exec(r, "BEGIN IMMEDIATE"))
        return db_error(r, err, "write");
    if (!remember(r->db, paths, sbs, hex, n) || !exec(r, "COMMIT")) {
        csa_status st = db_error(r, err, "write");
        exec(r, "ROLLBACK");
        return st;
    }
    return CSA_OK;
}
