#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csa/error.h"
#include "csa/text.h"

const char *csa_strerror(csa_status status)
{
    switch (status) {
    case CSA_OK: return "success";
    case CSA_ERR_NOMEM: return "out of memory";
    case CSA_ERR_IO: return "input/output error";
    case CSA_ERR_USAGE: return "invalid usage";
    case CSA_ERR_FORMAT: return "malformed file";
    case CSA_ERR_VALUE: return "invalid value";
    case CSA_ERR_DUPLICATE: return "duplicate key";
    case CSA_ERR_NOT_FOUND: return "not found";
    case CSA_ERR_LIMIT: return "size limit exceeded";
    case CSA_ERR_REJECTS: return "too many rejected rows";
    case CSA_ERR_STATE: return "operation not allowed in this state";
    }
    return "unknown error";
}

static void copy_cut(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, size, "%s", src);
}

csa_status csa_error_set(csa_error *err, csa_status status, const char *file,
                         uint64_t line, uint64_t column, const char *field,
                         const char *value, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    copy_cut(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    copy_cut(err->field, sizeof err->field, field);
    copy_cut(err->value, sizeof err->value, value);
    /* a message quotes values from data: escaped here, as it is made, it is
     * safe on every terminal it reaches, however it is printed */
    char raw[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    csa_text_escape(raw, err->message, sizeof err->message);
    return status;
}

char *csa_error_format(const csa_error *err, char *buf, size_t size)
{
    size_t n = 0;
    char text[CSA_ERROR_FILE_MAX > CSA_ERROR_MESSAGE_MAX ? CSA_ERROR_FILE_MAX
                                                         : CSA_ERROR_MESSAGE_MAX];
    buf[0] = '\0';
    /* a file's name is data too (a glob matches whatever is there) */
    if (err->file[0])
        n += (size_t)snprintf(buf, size, "%s:", csa_text_escape(err->file, text, sizeof text));
    if (err->line && n < size)
        n += (size_t)snprintf(buf + n, size - n, "%llu:", (unsigned long long)err->line);
    if (err->line && err->column && n < size)
        n += (size_t)snprintf(buf + n, size - n, "%llu:", (unsigned long long)err->column);
    if (n < size)
        snprintf(buf + n, size - n, "%s%s", n ? " " : "",
                 csa_text_escape(err->message[0] ? err->message : csa_strerror(err->status),
                                 text, sizeof text));
    return buf;
}
