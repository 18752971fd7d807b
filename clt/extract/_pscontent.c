/* Optional accelerator of clt.extract.pdf_miner: pdfminer.six's content-stream
 * parser (psparser.PSBaseParser's tokenizer, PSStackParser.nextobject and
 * pdfinterp.PDFContentParser), ported state for state to C.
 *
 * A Parser is fed the data of a page's content streams one stream at a time, as
 * PDFContentParser reads them, and hands back the objects pdfminer's
 * nextobject() would yield, in order: ints, floats, bools, bytes, PSLiteral and
 * PSKeyword (pdfminer's own interned objects, through LIT and KWD), lists and
 * dicts.  pdfminer's quirks are kept on purpose: a token cut by the end of a
 * stream is ended by a "\n" (when pdfminer's _curtoken is not empty), the
 * "\\\r\n" continuation is not seen across pdfminer's 4096-byte read buffers,
 * numbers int() or float() refuse are dropped, unbalanced ] >> } are ignored.
 *
 * What it does not do itself it stops for: the keyword BI (an inline image:
 * the caller hands the rest of the streams to pdfminer's own parser, in the
 * state this one is in), an octal escape above \377 (pdfminer's assertion) and
 * a dictionary with an odd number of objects (pdfminer's PSSyntaxError): the
 * caller raises what pdfminer raises.  tests/test_pscontent_accel.py holds the
 * two parsers to the same objects.
 *
 * Also here: dispatch(), PDFPageInterpreter.execute's loop over the objects
 * read (the do_* calls), and a85decode(), base64.a85decode (pdfminer's ASCII85
 * filter) without its Python loop.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* bumped whenever the objects or the statuses change: clt.extract.pdf_miner checks it */
#define PSCONTENT_VERSION 3

#define BUFSIZ_PDFMINER 4096
#define BATCH 4096

enum { S_MAIN, S_COMMENT, S_LITERAL, S_LITERAL_HEX, S_NUMBER, S_FLOAT, S_KEYWORD,
       S_STRING, S_STRING_1, S_WOPEN, S_WCLOSE, S_HEXSTRING };

/* status after run() */
enum { ST_MORE = 0, ST_BATCH = 1, ST_BI = 2, ST_OCTAL = 3, ST_ODDDICT = 4 };

static PyObject *LIT_fn, *KWD_fn, *literal_name_fn;

static unsigned char is_ws[256], end_name[256], is_hex[256], is_digit[256], is_oct[256];

/* direct-mapped caches of short names -> interned PSKeyword / PSLiteral */
#define CACHE_SIZE 1024
typedef struct { uint64_t key; int len; PyObject *obj; } centry;
static centry kw_cache[CACHE_SIZE], lit_cache[CACHE_SIZE];

typedef struct { char type; PyObject *stack; } ctxent;

typedef struct {
    PyObject_HEAD
    int state;
    char *tok;
    Py_ssize_t toklen, tokcap;
    int paren;
    char oct[4];
    int octlen;
    char hex[3];
    int hexlen;
    ctxent *ctx;
    Py_ssize_t nctx, ctxcap;
    char curtype;          /* 0: None */
    PyObject *curstack;    /* list */
    PyObject *results;     /* list: this batch */
    PyObject *data;        /* the stream being read (bytes-like), or NULL */
    Py_buffer view;
    Py_ssize_t pos;
    int nfeeds;
    int pending_change;    /* the "\n" pdfminer parses when a new stream begins */
    int finishing;         /* the "\n" at the end of the last stream */
    int status;
    Py_ssize_t stop_at;
    PyObject *err;         /* ST_OCTAL: the octal digits; ST_ODDDICT: the objects */
    int stop;              /* set by emit: stop the loop */
} Parser;

static int
tok_reserve(Parser *p, Py_ssize_t extra)
{
    if (p->toklen + extra + 1 <= p->tokcap)
        return 0;
    Py_ssize_t cap = p->tokcap ? p->tokcap : 64;
    while (cap < p->toklen + extra + 1)
        cap *= 2;
    char *t = PyMem_Realloc(p->tok, cap);
    if (!t) {
        PyErr_NoMemory();
        return -1;
    }
    p->tok = t;
    p->tokcap = cap;
    return 0;
}

static int
tok_add(Parser *p, const unsigned char *s, Py_ssize_t n)
{
    if (n <= 0)
        return 0;
    if (tok_reserve(p, n) < 0)
        return -1;
    memcpy(p->tok + p->toklen, s, n);
    p->toklen += n;
    return 0;
}

static int
tok_set1(Parser *p, unsigned char c)
{
    p->toklen = 0;
    return tok_add(p, &c, 1);
}

/* ------------------------------------------------------------------ symbols */

static PyObject *
intern_cached(centry *cache, PyObject *fn, const char *s, Py_ssize_t n, int literal)
{
    uint64_t key = 0;
    unsigned h = 0;
    if (n <= 8) {
        memcpy(&key, s, n);
        uint64_t x = key * 0x9E3779B97F4A7C15ULL + (uint64_t)n;
        h = (unsigned)(x >> 54) & (CACHE_SIZE - 1);
        centry *e = &cache[h];
        if (e->obj && e->len == n && e->key == key) {
            Py_INCREF(e->obj);
            return e->obj;
        }
    }
    PyObject *name;
    if (literal) {
        /* pdfminer: str(self._curtoken, "utf-8") if it decodes, else the bytes */
        name = PyUnicode_DecodeUTF8(s, n, NULL);
        if (!name) {
            PyErr_Clear();
            name = PyBytes_FromStringAndSize(s, n);
        }
    } else {
        name = PyBytes_FromStringAndSize(s, n);
    }
    if (!name)
        return NULL;
    PyObject *obj = PyObject_CallOneArg(fn, name);
    Py_DECREF(name);
    if (!obj)
        return NULL;
    if (n <= 8) {
        centry *e = &cache[h];
        Py_XDECREF(e->obj);
        e->key = key;
        e->len = (int)n;
        Py_INCREF(obj);
        e->obj = obj;
    }
    return obj;
}

/* ------------------------------------------------------------------ the stack (PSStackParser) */

/* push an object (steals the reference): PSStackParser.push then flush when no context is open */
static int
push_obj(Parser *p, PyObject *o)
{
    if (!o)
        return -1;
    PyObject *target = p->nctx ? p->curstack : p->results;
    int r = PyList_Append(target, o);
    Py_DECREF(o);
    if (r < 0)
        return -1;
    return 0;
}

static int
start_type(Parser *p, char type)
{
    if (p->nctx == p->ctxcap) {
        Py_ssize_t cap = p->ctxcap ? p->ctxcap * 2 : 16;
        ctxent *c = PyMem_Realloc(p->ctx, cap * sizeof(ctxent));
        if (!c) {
            PyErr_NoMemory();
            return -1;
        }
        p->ctx = c;
        p->ctxcap = cap;
    }
    PyObject *stack = PyList_New(0);
    if (!stack)
        return -1;
    p->ctx[p->nctx].type = p->curtype;
    p->ctx[p->nctx].stack = p->curstack;
    p->nctx++;
    p->curtype = type;
    p->curstack = stack;
    return 0;
}

/* end_type: the objects (a new reference) or NULL without an exception on a mismatch */
static PyObject *
end_type(Parser *p, char type)
{
    if (p->curtype != type)
        return NULL;
    PyObject *objs = p->curstack;
    p->nctx--;
    p->curtype = p->ctx[p->nctx].type;
    p->curstack = p->ctx[p->nctx].stack;
    return objs;
}

static int
end_dict(Parser *p)
{
    PyObject *objs = end_type(p, 'd');
    if (!objs)
        return 0;   /* PSTypeError, ignored */
    Py_ssize_t n = PyList_GET_SIZE(objs);
    if (n % 2) {
        /* pdfminer raises PSSyntaxError("Invalid dictionary construct: ...") */
        p->status = ST_ODDDICT;
        Py_XSETREF(p->err, objs);
        p->stop = 1;
        return 0;
    }
    PyObject *d = PyDict_New();
    if (!d) {
        Py_DECREF(objs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i += 2) {
        PyObject *k = PyList_GET_ITEM(objs, i), *v = PyList_GET_ITEM(objs, i + 1);
        if (v == Py_None)
            continue;
        PyObject *key = PyObject_CallOneArg(literal_name_fn, k);
        if (!key || PyDict_SetItem(d, key, v) < 0) {
            Py_XDECREF(key);
            Py_DECREF(d);
            Py_DECREF(objs);
            return -1;
        }
        Py_DECREF(key);
    }
    Py_DECREF(objs);
    return push_obj(p, d);
}

/* a keyword token: nextobject's special keywords, then PDFContentParser.do_keyword */
static int
emit_keyword(Parser *p, const char *s, Py_ssize_t n)
{
    if (n == 1) {
        switch (s[0]) {
        case '[': return start_type(p, 'a');
        case '{': return start_type(p, 'p');
        case ']': case '}': {
            PyObject *objs = end_type(p, s[0] == ']' ? 'a' : 'p');
            if (!objs)
                return 0;
            return push_obj(p, objs);
        }
        }
    } else if (n == 2) {
        if (s[0] == 'B' && s[1] == 'I') {
            if (p->finishing)
                return 0;   /* start_type("inline"), then the end of the streams */
            p->status = ST_BI;
            p->stop = 1;
            return 0;
        }
        if (s[0] == 'I' && s[1] == 'D')
            return 0;       /* end_type("inline") outside BI: PSTypeError, ignored */
    }
    PyObject *kw = intern_cached(kw_cache, KWD_fn, s, n, 0);
    if (!kw)
        return -1;
    return push_obj(p, kw);
}

static int
emit_number(Parser *p)
{
    const char *t = p->tok;
    Py_ssize_t n = p->toklen, i = 0;
    int neg = 0;
    if (n && (t[0] == '-' || t[0] == '+')) {
        neg = t[0] == '-';
        i = 1;
    }
    if (i == n)
        return 0;   /* int(b"-"): ValueError, suppressed */
    if (n - i <= 18) {
        long long v = 0;
        for (; i < n; i++)
            v = v * 10 + (t[i] - '0');
        return push_obj(p, PyLong_FromLongLong(neg ? -v : v));
    }
    PyObject *b = PyBytes_FromStringAndSize(t, n);
    if (!b)
        return -1;
    PyObject *v = PyNumber_Long(b);
    Py_DECREF(b);
    if (!v) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {   /* too many digits for int() */
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    return push_obj(p, v);
}

static int
emit_float(Parser *p)
{
    int digits = 0;
    for (Py_ssize_t i = 0; i < p->toklen; i++)
        if (is_digit[(unsigned char)p->tok[i]]) {
            digits = 1;
            break;
        }
    if (!digits)
        return 0;   /* float(b"-."): ValueError, suppressed */
    if (tok_reserve(p, 1) < 0)
        return -1;
    p->tok[p->toklen] = 0;
    char *end;
    double v = PyOS_string_to_double(p->tok, &end, NULL);
    if (v == -1.0 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    if (end != p->tok + p->toklen)
        return 0;
    return push_obj(p, PyFloat_FromDouble(v));
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

static int
emit_hexstring(Parser *p)
{
    /* SPC.sub(b"", tok), then HEX_PAIR: pairs, a last odd digit alone */
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < p->toklen; i++)
        if (!is_ws[(unsigned char)p->tok[i]])
            m++;
    PyObject *b = PyBytes_FromStringAndSize(NULL, (m + 1) / 2);
    if (!b)
        return -1;
    char *o = PyBytes_AS_STRING(b);
    Py_ssize_t k = 0;
    int half = -1;
    for (Py_ssize_t i = 0; i < p->toklen; i++) {
        char c = p->tok[i];
        if (is_ws[(unsigned char)c])
            continue;
        if (half < 0) {
            half = hexval(c);
        } else {
            o[k++] = (char)(half * 16 + hexval(c));
            half = -1;
        }
    }
    if (half >= 0)
        o[k++] = (char)half;
    return push_obj(p, b);
}

/* ------------------------------------------------------------------ the tokenizer (PSBaseParser) */

/* one call of pdfminer's self._parse1(s, i); lim: the end of pdfminer's read buffer holding s[i]
 * (only _parse_string_1's look-ahead at "\r\n" sees it) */
static Py_ssize_t
step(Parser *p, const unsigned char *s, Py_ssize_t n, Py_ssize_t i, Py_ssize_t lim)
{
    Py_ssize_t j;
    unsigned char c;
    switch (p->state) {
    case S_MAIN:
        j = i;
        while (j < n && is_ws[s[j]])
            j++;
        if (j >= n)
            return n;
        c = s[j];
        if (c == '%') {
            if (tok_set1(p, c) < 0) return -1;
            p->state = S_COMMENT;
        } else if (c == '/') {
            p->toklen = 0;
            p->state = S_LITERAL;
        } else if (c == '-' || c == '+' || is_digit[c]) {
            if (tok_set1(p, c) < 0) return -1;
            p->state = S_NUMBER;
        } else if (c == '.') {
            if (tok_set1(p, c) < 0) return -1;
            p->state = S_FLOAT;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            if (tok_set1(p, c) < 0) return -1;
            p->state = S_KEYWORD;
        } else if (c == '(') {
            p->toklen = 0;
            p->paren = 1;
            p->state = S_STRING;
        } else if (c == '<') {
            p->toklen = 0;
            p->state = S_WOPEN;
        } else if (c == '>') {
            p->toklen = 0;
            p->state = S_WCLOSE;
        } else if (c == 0) {
            /* skipped */
        } else {
            if (emit_keyword(p, (const char *)&s[j], 1) < 0) return -1;
        }
        return j + 1;
    case S_COMMENT:
        for (j = i; j < n; j++)
            if (s[j] == '\r' || s[j] == '\n')
                break;
        if (j >= n) {
            /* pdfminer keeps the text; only "not empty" matters and it starts with "%" */
            return n;
        }
        p->state = S_MAIN;
        return j;
    case S_LITERAL:
        for (j = i; j < n; j++)
            if (end_name[s[j]])
                break;
        if (tok_add(p, s + i, j - i) < 0) return -1;
        if (j >= n)
            return n;
        if (s[j] == '#') {
            p->hexlen = 0;
            p->state = S_LITERAL_HEX;
            return j + 1;
        }
        {
            PyObject *lit = intern_cached(lit_cache, LIT_fn, p->tok, p->toklen, 1);
            if (!lit || push_obj(p, lit) < 0) return -1;
        }
        p->state = S_MAIN;
        return j;
    case S_LITERAL_HEX:
        c = s[i];
        if (is_hex[c] && p->hexlen < 2) {
            p->hex[p->hexlen++] = (char)c;
            return i + 1;
        }
        if (p->hexlen) {
            unsigned char b = (unsigned char)(p->hexlen == 2 ? hexval(p->hex[0]) * 16 + hexval(p->hex[1])
                                                             : hexval(p->hex[0]));
            if (tok_add(p, &b, 1) < 0) return -1;
        }
        p->state = S_LITERAL;
        return i;
    case S_NUMBER:
        for (j = i; j < n; j++)
            if (!is_digit[s[j]])
                break;
        if (tok_add(p, s + i, j - i) < 0) return -1;
        if (j >= n)
            return n;
        if (s[j] == '.') {
            if (tok_add(p, s + j, 1) < 0) return -1;
            p->state = S_FLOAT;
            return j + 1;
        }
        if (emit_number(p) < 0) return -1;
        p->state = S_MAIN;
        return j;
    case S_FLOAT:
        for (j = i; j < n; j++)
            if (!is_digit[s[j]])
                break;
        if (tok_add(p, s + i, j - i) < 0) return -1;
        if (j >= n)
            return n;
        if (emit_float(p) < 0) return -1;
        p->state = S_MAIN;
        return j;
    case S_KEYWORD:
        for (j = i; j < n; j++)
            if (end_name[s[j]])
                break;
        if (tok_add(p, s + i, j - i) < 0) return -1;
        if (j >= n)
            return n;
        p->state = S_MAIN;
        if (p->toklen == 4 && memcmp(p->tok, "true", 4) == 0) {
            Py_INCREF(Py_True);
            if (push_obj(p, Py_True) < 0) return -1;
        } else if (p->toklen == 5 && memcmp(p->tok, "false", 5) == 0) {
            Py_INCREF(Py_False);
            if (push_obj(p, Py_False) < 0) return -1;
        } else if (emit_keyword(p, p->tok, p->toklen) < 0) {
            return -1;
        }
        return j;
    case S_STRING:
        for (j = i; j < n; j++)
            if (s[j] == '(' || s[j] == ')' || s[j] == '\\')
                break;
        if (tok_add(p, s + i, j - i) < 0) return -1;
        if (j >= n)
            return n;
        c = s[j];
        if (c == '\\') {
            p->octlen = 0;
            p->state = S_STRING_1;
            return j + 1;
        }
        if (c == '(') {
            p->paren++;
            if (tok_add(p, &c, 1) < 0) return -1;
            return j + 1;
        }
        p->paren--;
        if (p->paren) {
            if (tok_add(p, &c, 1) < 0) return -1;
            return j + 1;
        }
        if (push_obj(p, PyBytes_FromStringAndSize(p->tok, p->toklen)) < 0) return -1;
        p->state = S_MAIN;
        return j + 1;
    case S_STRING_1:
        c = s[i];
        if (is_oct[c] && p->octlen < 3) {
            p->oct[p->octlen++] = (char)c;
            return i + 1;
        }
        if (p->octlen) {
            int code = 0;
            for (int k = 0; k < p->octlen; k++)
                code = code * 8 + (p->oct[k] - '0');
            if (code >= 256) {
                p->status = ST_OCTAL;
                Py_XSETREF(p->err, PyBytes_FromStringAndSize(p->oct, p->octlen));
                if (!p->err) return -1;
                p->stop = 1;
                return i;
            }
            unsigned char b = (unsigned char)code;
            if (tok_add(p, &b, 1) < 0) return -1;
            p->state = S_STRING;
            return i;
        }
        {
            int e = -1;
            switch (c) {
            case 'b': e = 8; break;
            case 't': e = 9; break;
            case 'n': e = 10; break;
            case 'f': e = 12; break;
            case 'r': e = 13; break;
            case '(': e = 40; break;
            case ')': e = 41; break;
            case '\\': e = 92; break;
            }
            if (e >= 0) {
                unsigned char b = (unsigned char)e;
                if (tok_add(p, &b, 1) < 0) return -1;
            } else if (c == '\r' && lim > i + 1 && s[i + 1] == '\n') {
                i++;
            }
        }
        p->state = S_STRING;
        return i + 1;
    case S_WOPEN:
        if (s[i] == '<') {
            if (start_type(p, 'd') < 0) return -1;
            p->state = S_MAIN;
            return i + 1;
        }
        p->state = S_HEXSTRING;
        return i;
    case S_WCLOSE:
        if (s[i] == '>') {
            if (end_dict(p) < 0) return -1;
            i++;
        }
        p->state = S_MAIN;
        return i;
    case S_HEXSTRING:
        for (j = i; j < n; j++)
            if (!is_ws[s[j]] && !is_hex[s[j]])
                break;
        if (tok_add(p, s + i, j - i) < 0) return -1;
        if (j >= n)
            return n;
        if (emit_hexstring(p) < 0) return -1;
        p->state = S_MAIN;
        return j;
    }
    return n;
}

/* ------------------------------------------------------------------ the type */

static void
release_data(Parser *p)
{
    if (p->data) {
        PyBuffer_Release(&p->view);
        Py_CLEAR(p->data);
    }
}

static void
Parser_dealloc(Parser *p)
{
    release_data(p);
    PyMem_Free(p->tok);
    for (Py_ssize_t i = 0; i < p->nctx; i++)
        Py_XDECREF(p->ctx[i].stack);
    PyMem_Free(p->ctx);
    Py_XDECREF(p->curstack);
    Py_XDECREF(p->results);
    Py_XDECREF(p->err);
    Py_TYPE(p)->tp_free((PyObject *)p);
}

static PyObject *
Parser_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    if (!LIT_fn) {
        PyErr_SetString(PyExc_RuntimeError, "_pscontent.setup() was not called");
        return NULL;
    }
    Parser *p = (Parser *)type->tp_alloc(type, 0);
    if (!p)
        return NULL;
    p->state = S_MAIN;
    p->curstack = PyList_New(0);
    p->results = PyList_New(0);
    if (!p->curstack || !p->results) {
        Py_DECREF(p);
        return NULL;
    }
    return (PyObject *)p;
}

/* feed(data): the next (non-empty) content stream */
static PyObject *
Parser_feed(Parser *p, PyObject *data)
{
    release_data(p);
    if (PyObject_GetBuffer(data, &p->view, PyBUF_SIMPLE) < 0)
        return NULL;
    Py_INCREF(data);
    p->data = data;
    p->pos = 0;
    /* PDFContentParser.fillbuf reports a new stream (not the first one, opened by seek(0)):
     * nexttoken parses b"\n" if _curtoken is not empty */
    p->pending_change = p->nfeeds > 0 && p->toklen > 0;
    p->nfeeds++;
    p->status = ST_MORE;
    Py_RETURN_NONE;
}

static PyObject *
take_results(Parser *p)
{
    PyObject *r = p->results;
    p->results = PyList_New(0);
    if (!p->results) {
        p->results = r;
        return NULL;
    }
    return r;
}

/* run(): parse on; the objects read (a list) and the status */
static PyObject *
Parser_run(Parser *p, PyObject *unused)
{
    p->stop = 0;
    p->status = ST_MORE;
    if (p->pending_change) {
        p->pending_change = 0;
        if (step(p, (const unsigned char *)"\n", 1, 0, 1) < 0)
            return NULL;
        if (p->status == ST_BI)
            p->stop_at = 0;
    }
    int batch = 0;
    if (p->data && !p->stop) {
        const unsigned char *s = p->view.buf;
        Py_ssize_t n = p->view.len, i = p->pos;
        while (i < n) {
            Py_ssize_t lim = (i / BUFSIZ_PDFMINER + 1) * BUFSIZ_PDFMINER;
            if (lim > n)
                lim = n;
            i = step(p, s, n, i, lim);
            if (i < 0)
                return NULL;
            if (p->stop) {
                if (p->status == ST_BI)
                    p->stop_at = i;
                break;
            }
            if (PyList_GET_SIZE(p->results) >= BATCH && i < n) {
                batch = 1;
                break;
            }
        }
        p->pos = i;
        if (batch)
            p->status = ST_BATCH;
    }
    PyObject *r = take_results(p);
    if (!r)
        return NULL;
    return Py_BuildValue("(Ni)", r, p->status);
}

/* finish(): the end of the last stream (pdfminer parses b"\n" once); the objects */
static PyObject *
Parser_finish(Parser *p, PyObject *unused)
{
    release_data(p);
    p->stop = 0;
    p->status = ST_MORE;
    p->finishing = 1;
    if (step(p, (const unsigned char *)"\n", 1, 0, 1) < 0)
        return NULL;
    PyObject *r = take_results(p);
    if (!r)
        return NULL;
    return Py_BuildValue("(Ni)", r, p->status);
}

/* state(): what a stock PDFContentParser needs to go on where this one stopped at BI:
 * (offset in the current stream, [(type, [objects]) of the open contexts, outermost first],
 *  current type or None, current stack) */
static PyObject *
Parser_state(Parser *p, PyObject *unused)
{
    PyObject *ctx = PyList_New(p->nctx);
    if (!ctx)
        return NULL;
    for (Py_ssize_t i = 0; i < p->nctx; i++) {
        PyObject *t = p->ctx[i].type ? PyUnicode_FromStringAndSize(&p->ctx[i].type, 1) : (Py_INCREF(Py_None), Py_None);
        PyObject *e = t ? PyTuple_Pack(2, t, p->ctx[i].stack) : NULL;
        Py_XDECREF(t);
        if (!e) {
            Py_DECREF(ctx);
            return NULL;
        }
        PyList_SET_ITEM(ctx, i, e);
    }
    PyObject *cur = p->curtype ? PyUnicode_FromStringAndSize(&p->curtype, 1) : (Py_INCREF(Py_None), Py_None);
    if (!cur) {
        Py_DECREF(ctx);
        return NULL;
    }
    return Py_BuildValue("(nNNO)", p->stop_at, ctx, cur, p->curstack);
}

static PyObject *
Parser_get_err(Parser *p, void *closure)
{
    PyObject *e = p->err ? p->err : Py_None;
    Py_INCREF(e);
    return e;
}

static PyMethodDef Parser_methods[] = {
    {"feed", (PyCFunction)Parser_feed, METH_O, "feed(data): the next non-empty content stream"},
    {"run", (PyCFunction)Parser_run, METH_NOARGS, "run() -> (objects, status)"},
    {"finish", (PyCFunction)Parser_finish, METH_NOARGS, "finish() -> (objects, status): the end of the streams"},
    {"state", (PyCFunction)Parser_state, METH_NOARGS, "state() -> (offset, contexts, curtype, curstack)"},
    {NULL}
};

static PyGetSetDef Parser_getset[] = {
    {"err", (getter)Parser_get_err, NULL, "the octal digits (status 3) or the dictionary's objects (status 4)", NULL},
    {NULL}
};

static PyTypeObject ParserType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "clt.extract._pscontent.Parser",
    .tp_basicsize = sizeof(Parser),
    .tp_dealloc = (destructor)Parser_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "pdfminer's content-stream parser (PDFContentParser.nextobject) in C",
    .tp_methods = Parser_methods,
    .tp_getset = Parser_getset,
    .tp_new = Parser_new,
};

static PyObject *
mod_setup(PyObject *self, PyObject *args)
{
    PyObject *lit, *kwd, *ln;
    if (!PyArg_ParseTuple(args, "OOO", &lit, &kwd, &ln))
        return NULL;
    Py_INCREF(lit);
    Py_INCREF(kwd);
    Py_INCREF(ln);
    Py_XSETREF(LIT_fn, lit);
    Py_XSETREF(KWD_fn, kwd);
    Py_XSETREF(literal_name_fn, ln);
    for (int i = 0; i < CACHE_SIZE; i++) {
        Py_CLEAR(kw_cache[i].obj);
        Py_CLEAR(lit_cache[i].obj);
    }
    Py_RETURN_NONE;
}

/* a85decode(data): base64.a85decode(data) (foldspaces=False, adobe=False, the default
 * ignorechars b" \t\n\r\v"), step for step, its ValueErrors included: pdfminer's
 * ascii85decode calls it on every ASCII85 stream, and it is a Python loop */
static PyObject *
mod_a85decode(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *s = view.buf;
    Py_ssize_t n = view.len;
    Py_ssize_t cap = n / 5 * 4 + 16, len = 0;
    PyObject *out = PyBytes_FromStringAndSize(NULL, cap);
    if (!out) {
        PyBuffer_Release(&view);
        return NULL;
    }
    unsigned char curr[5];
    int ncurr = 0;
    for (Py_ssize_t i = 0; i < n + 4; i++) {
        unsigned char x = i < n ? s[i] : 'u';   /* b + b"u" * 4 */
        if (x >= '!' && x <= 'u') {
            curr[ncurr++] = x;
            if (ncurr == 5) {
                uint64_t acc = 0;
                for (int k = 0; k < 5; k++)
                    acc = 85 * acc + (uint64_t)(curr[k] - 33);
                if (acc > 0xFFFFFFFFULL) {
                    PyErr_SetString(PyExc_ValueError, "Ascii85 overflow");
                    goto fail;
                }
                if (len + 4 > cap) {
                    cap = cap * 2 + 16;
                    if (_PyBytes_Resize(&out, cap) < 0)
                        goto fail;
                }
                unsigned char *o = (unsigned char *)PyBytes_AS_STRING(out) + len;
                o[0] = (unsigned char)(acc >> 24);
                o[1] = (unsigned char)(acc >> 16);
                o[2] = (unsigned char)(acc >> 8);
                o[3] = (unsigned char)acc;
                len += 4;
                ncurr = 0;
            }
        } else if (x == 'z') {
            if (ncurr) {
                PyErr_SetString(PyExc_ValueError, "z inside Ascii85 5-tuple");
                goto fail;
            }
            if (len + 4 > cap) {
                cap = cap * 2 + 16;
                if (_PyBytes_Resize(&out, cap) < 0)
                    goto fail;
            }
            memset(PyBytes_AS_STRING(out) + len, 0, 4);
            len += 4;
        } else if (x == ' ' || x == '\t' || x == '\n' || x == '\r' || x == '\v') {
            continue;
        } else {
            PyErr_Format(PyExc_ValueError, "Non-Ascii85 digit found: %c", (int)x);
            goto fail;
        }
    }
    PyBuffer_Release(&view);
    {
        Py_ssize_t padding = 4 - ncurr;   /* result[:-padding] */
        if (padding)
            len = len > padding ? len - padding : 0;
    }
    if (_PyBytes_Resize(&out, len) < 0)
        return NULL;
    return out;
fail:
    PyBuffer_Release(&view);
    Py_XDECREF(out);
    return NULL;
}

/* dispatch(objs, ops, resolve, pop, push, interp): PDFPageInterpreter.execute's loop body for
 * each object of the list objs:
 *     if type(obj) is PSKeyword:
 *         func, nargs = ops.get(obj) or resolve(obj)      (resolve: the do_* lookup, cached in ops)
 *         if func is None: continue
 *         if nargs: args = pop(nargs); if len(args) == nargs: func(*args)
 *                   (pop None: PDFPageInterpreter.pop, done here on interp.argstack)
 *         else: func()
 *     else: push(obj)             (push None: interp.argstack.append(obj), PDFPageInterpreter.push)
 */
static PyObject *
mod_dispatch(PyObject *self, PyObject *args)
{
    PyObject *objs, *ops, *resolve, *pop, *push, *interp, *kwtype;
    if (!PyArg_ParseTuple(args, "O!O!OOOOO", &PyList_Type, &objs, &PyDict_Type, &ops, &resolve, &pop, &push,
                          &interp, &kwtype))
        return NULL;
    static PyObject *argstack_name = NULL;
    if (!argstack_name && !(argstack_name = PyUnicode_InternFromString("argstack")))
        return NULL;
    Py_INCREF(objs);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(objs); i++) {
        PyObject *obj = PyList_GET_ITEM(objs, i);
        if ((PyObject *)Py_TYPE(obj) == kwtype) {
            PyObject *op = PyDict_GetItemWithError(ops, obj);
            if (op) {
                Py_INCREF(op);
            } else {
                if (PyErr_Occurred())
                    goto fail;
                op = PyObject_CallOneArg(resolve, obj);
                if (!op)
                    goto fail;
            }
            if (!PyTuple_Check(op) || PyTuple_GET_SIZE(op) != 2) {
                Py_DECREF(op);
                PyErr_SetString(PyExc_TypeError, "dispatch: an operator is a (func, nargs) tuple");
                goto fail;
            }
            PyObject *func = PyTuple_GET_ITEM(op, 0);
            Py_ssize_t nargs = PyLong_AsSsize_t(PyTuple_GET_ITEM(op, 1));
            if (nargs == -1 && PyErr_Occurred()) {
                Py_DECREF(op);
                goto fail;
            }
            PyObject *r = NULL;
            if (func == Py_None) {
                Py_DECREF(op);
                continue;
            }
            if (nargs) {
                PyObject *a;
                if (pop == Py_None) {
                    /* PDFPageInterpreter.pop(n), n > 0: x = argstack[-n:]; argstack = argstack[:-n]
                     * (a new list, as there), return x */
                    PyObject *st = PyObject_GetAttr(interp, argstack_name);
                    if (!st) {
                        Py_DECREF(op);
                        goto fail;
                    }
                    if (!PyList_CheckExact(st)) {
                        Py_DECREF(st);
                        Py_DECREF(op);
                        PyErr_SetString(PyExc_TypeError, "dispatch: argstack is not a list");
                        goto fail;
                    }
                    Py_ssize_t len = PyList_GET_SIZE(st);
                    Py_ssize_t cut = len > nargs ? len - nargs : 0;
                    a = PyList_GetSlice(st, cut, len);
                    PyObject *rest = a ? PyList_GetSlice(st, 0, cut) : NULL;
                    Py_DECREF(st);
                    if (rest) {
                        int rc = PyObject_SetAttr(interp, argstack_name, rest);
                        Py_DECREF(rest);
                        if (rc < 0) {
                            Py_CLEAR(a);
                        }
                    } else {
                        Py_CLEAR(a);
                    }
                } else {
                    PyObject *n = PyLong_FromSsize_t(nargs);
                    a = n ? PyObject_CallOneArg(pop, n) : NULL;
                    Py_XDECREF(n);
                }
                if (!a) {
                    Py_DECREF(op);
                    goto fail;
                }
                Py_ssize_t len = PyObject_Length(a);
                if (len < 0) {
                    Py_DECREF(a);
                    Py_DECREF(op);
                    goto fail;
                }
                if (len == nargs) {
                    PyObject *t = PySequence_Tuple(a);
                    r = t ? PyObject_Call(func, t, NULL) : NULL;
                    Py_XDECREF(t);
                } else {
                    r = Py_None;
                    Py_INCREF(r);
                }
                Py_DECREF(a);
            } else {
                r = PyObject_CallNoArgs(func);
            }
            Py_DECREF(op);
            if (!r)
                goto fail;
            Py_DECREF(r);
        } else if (push == Py_None) {
            PyObject *st = PyObject_GetAttr(interp, argstack_name);
            if (!st)
                goto fail;
            int rc;
            if (PyList_CheckExact(st)) {
                rc = PyList_Append(st, obj);
            } else {
                PyObject *r = PyObject_CallMethod(st, "append", "O", obj);
                rc = r ? 0 : -1;
                Py_XDECREF(r);
            }
            Py_DECREF(st);
            if (rc < 0)
                goto fail;
        } else {
            PyObject *r = PyObject_CallOneArg(push, obj);
            if (!r)
                goto fail;
            Py_DECREF(r);
        }
    }
    Py_DECREF(objs);
    Py_RETURN_NONE;
fail:
    Py_DECREF(objs);
    return NULL;
}

static PyMethodDef mod_methods[] = {
    {"dispatch", mod_dispatch, METH_VARARGS, "dispatch(objs, ops, resolve, pop, push, interp, PSKeyword)"},
    {"setup", mod_setup, METH_VARARGS, "setup(LIT, KWD, literal_name): pdfminer's symbol tables"},
    {"a85decode", mod_a85decode, METH_O, "a85decode(data): base64.a85decode(data), in C"},
    {NULL}
};

static struct PyModuleDef moddef = {
    PyModuleDef_HEAD_INIT, "clt.extract._pscontent",
    "pdfminer.six's content-stream parser in C (optional accelerator of clt.extract.pdf_miner)",
    -1, mod_methods,
};

PyMODINIT_FUNC
PyInit__pscontent(void)
{
    const char *ws = " \t\n\r\x0b\x0c";
    for (const char *c = ws; *c; c++)
        is_ws[(unsigned char)*c] = 1;
    const char *en = "#/%[]()<>{}";
    for (const char *c = en; *c; c++)
        end_name[(unsigned char)*c] = 1;
    for (const char *c = ws; *c; c++)
        end_name[(unsigned char)*c] = 1;
    for (int c = '0'; c <= '9'; c++)
        is_digit[c] = is_hex[c] = 1;
    for (int c = 'a'; c <= 'f'; c++)
        is_hex[c] = is_hex[c - 32] = 1;
    for (int c = '0'; c <= '7'; c++)
        is_oct[c] = 1;
    if (PyType_Ready(&ParserType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m)
        return NULL;
    Py_INCREF(&ParserType);
    if (PyModule_AddObject(m, "Parser", (PyObject *)&ParserType) < 0) {
        Py_DECREF(&ParserType);
        Py_DECREF(m);
        return NULL;
    }
    PyModule_AddIntConstant(m, "VERSION", PSCONTENT_VERSION);
    PyModule_AddIntConstant(m, "MORE", ST_MORE);
    PyModule_AddIntConstant(m, "BATCH", ST_BATCH);
    PyModule_AddIntConstant(m, "INLINE_IMAGE", ST_BI);
    PyModule_AddIntConstant(m, "BAD_OCTAL", ST_OCTAL);
    PyModule_AddIntConstant(m, "ODD_DICT", ST_ODDDICT);
    return m;
}
