/* csa validate's report, in text and JSON: the command line and the
 * validator page (web/) both call csa_validate_report, so a partner's
 * browser shows the same findings, in the same words, as the command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/ingest.h"
#include "csa/stats.h"

void csa_json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p == '\r')
            fputs("\\r", fp);
        else if (*p == '\t')
            fputs("\\t", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

static void print_json(FILE *fp, const char *path, const char *spec, const csa_validation *v,
                       bool strict, bool first)
{
    fprintf(fp, "%s\n  {\"file\": ", first ? "" : ",");
    csa_json_string(fp, path);
    fprintf(fp, ", \"spec\": ");
    csa_json_string(fp, spec);
    fprintf(fp, ", \"rows\": %llu, \"usable_rows\": %llu, \"errors\": %llu, \"warnings\": %llu, "
                "\"notes\": %llu, \"usable\": %s,\n   \"checks\": [",
            (unsigned long long)v->rows, (unsigned long long)v->usable,
            (unsigned long long)v->errors, (unsigned long long)v->warnings,
            (unsigned long long)v->notes, csa_validation_usable(v, strict) ? "true" : "false");
    for (size_t i = 0; i < v->nchecks; i++) {
        fprintf(fp, "%s{\"check\": \"%s\", \"severity\": \"%s\", \"count\": %llu}", i ? ", " : "",
                v->checks[i].check, csa_severity_name(v->checks[i].severity),
                (unsigned long long)v->checks[i].count);
    }
    fprintf(fp, "],\n   \"findings\": [");
    for (size_t i = 0; i < v->nfindings; i++) {
        const csa_finding *f = &v->findings[i];
        fprintf(fp, "%s\n    {\"check\": \"%s\", \"severity\": \"%s\", \"file\": ", i ? "," : "",
                f->check, csa_severity_name(f->severity));
        csa_json_string(fp, f->where.file[0] ? f->where.file : path);
        fprintf(fp, ", \"line\": %llu, \"column\": %llu, \"field\": ",
                (unsigned long long)f->where.line, (unsigned long long)f->where.column);
        csa_json_string(fp, f->where.field);
        fprintf(fp, ", \"value\": ");
        csa_json_string(fp, f->where.value);
        fprintf(fp, ", \"message\": ");
        csa_json_string(fp, f->where.message);
        fprintf(fp, ", \"advice\": ");
        csa_json_string(fp, f->advice);
        fputc('}', fp);
    }
    fprintf(fp, "]}");
}

void csa_validation_print_text(FILE *fp, const char *path, const csa_validation *v, bool strict)
{
    char rows[32], usable[32];
    fprintf(fp, "%s: %s rows, %s usable, %llu error%s, %llu warning%s%s\n", path,
            csa_format_number((double)v->rows, 0, rows, sizeof rows),
            csa_format_number((double)v->usable, 0, usable, sizeof usable),
            (unsigned long long)v->errors, v->errors == 1 ? "" : "s",
            (unsigned long long)v->warnings, v->warnings == 1 ? "" : "s",
            strict && v->warnings ? " (strict: warnings count as errors)" : "");
    for (size_t c = 0; c < v->nchecks; c++) {
        const csa_check_count *cc = &v->checks[c];
        size_t shown = 0;
        const char *advice = NULL;
        for (size_t i = 0; i < v->nfindings; i++) {
            const csa_finding *f = &v->findings[i];
            if (f->check != cc->check)
                continue;
            advice = f->advice;
            char where[CSA_ERROR_FILE_MAX + 64] = "", count[64] = "";
            /* a finding of the set names the file it is about */
            const char *file = f->where.file[0] ? f->where.file : path;
            if (f->where.line && f->where.column)
                snprintf(where, sizeof where, "%s:%llu:%llu: ", file,
                         (unsigned long long)f->where.line, (unsigned long long)f->where.column);
            else if (f->where.line)
                snprintf(where, sizeof where, "%s:%llu: ", file, (unsigned long long)f->where.line);
            else if (f->where.file[0] && strcmp(file, path) != 0)
                snprintf(where, sizeof where, "%s: ", file);
            /* notes are expected things: one line with the count says enough */
            if (cc->severity == CSA_NOTE && cc->count > 1) {
                char n[32];
                snprintf(count, sizeof count, " (%s rows like this)",
                         csa_format_number((double)cc->count, 0, n, sizeof n));
            }
            fprintf(fp, "  %s%s [%s] %s%s\n", where, csa_severity_name(f->severity), f->check,
                    f->where.message, count);
            shown = cc->severity == CSA_NOTE ? cc->count : shown + 1;
            if (cc->severity == CSA_NOTE)
                break;
        }
        if (cc->count > shown) {
            char more[32];
            fprintf(fp, "  ... and %s more [%s]\n",
                    csa_format_number((double)(cc->count - shown), 0, more, sizeof more),
                    cc->check);
        }
        if (advice)
            fprintf(fp, "      -> %s\n", advice);
    }
}

/* One validation into whichever reports are asked for. */
static void print(const csa_validate_report_options *ro, const char *path,
                  const csa_validation *v, bool first)
{
    if (ro->json)
        print_json(ro->json, path, ro->validate->spec->name, v, ro->validate->strict, first);
    if (ro->text)
        csa_validation_print_text(ro->text, path, v, ro->validate->strict);
}

csa_status csa_validate_lookup(const char *path, csa_table **out, csa_error *err)
{
    static const char *const cols[] = {"LSOA code", "ward code", "LA code", "CSP code"};
    return csa_ingest_reference(path, csa_spec_find("area-lookup"), cols, 4, out, err);
}

bool csa_validate_report(const csa_validate_report_options *ro)
{
    csa_validate_options vo = *ro->validate;
    csa_error err = {0};
    bool usable = true;
    size_t n = ro->nfiles, nread = 0;
    csa_validation **vs = calloc(n ? n : 1, sizeof *vs);
    const char **paths = calloc(n ? n : 1, sizeof *paths);
    if (!vs || !paths) {
        csa_error_set(&err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        ro->fail(ro->ctx, &err);
        free(vs);
        free(paths);
        return false;
    }
    /* monthly extracts: months missing or partial are judged over the set,
     * and so are rows given twice (the identifiers kept for it) */
    vo.coverage_across_files = vo.keep_ids = n > 1 && !ro->check;
    /* the set check reads files again as they were read first */
    if (!vo.reopen && ro->open) {
        vo.reopen = ro->open;
        vo.reopen_ctx = ro->ctx;
    }
    if (ro->json)
        fprintf(ro->json, "{\"files\": [");
    for (size_t i = 0; i < n; i++) {
        csa_source src;
        csa_validation *v = NULL;
        if (ro->check) {
            ro->check(ro->ctx, i, &v, &err);
        } else if (ro->open(ro->ctx, i, &src, &err) == CSA_OK) {
            csa_validate(&src, &vo, &v, &err);
            csa_source_close(&src);
        }
        if (!v) {
            ro->fail(ro->ctx, &err);
            continue;
        }
        print(ro, ro->names[i], v, nread == 0);
        usable = usable && csa_validation_usable(v, vo.strict);
        paths[nread] = ro->names[i];
        vs[nread++] = v;
    }
    if (ro->json)
        fprintf(ro->json, "\n ]");
    if (vo.coverage_across_files && nread) {
        csa_validation *set = NULL;
        char label[64];
        snprintf(label, sizeof label, "all %zu files", nread);
        if (csa_validate_set((const csa_validation *const *)vs, paths, nread, &vo, &set, &err)) {
            ro->fail(ro->ctx, &err);
        } else {
            /* the set's totals count the files' findings and its own */
            if (ro->json)
                fprintf(ro->json, ", \"set\":");
            print(ro, label, set, true);
            usable = usable && csa_validation_usable(set, vo.strict);
            csa_validation_free(set);
        }
    }
    if (ro->json)
        fprintf(ro->json, "}\n");
    for (size_t i = 0; i < nread; i++)
        csa_validation_free(vs[i]);
    free(vs);
    free(paths);
    return usable;
}
