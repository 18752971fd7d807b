/* Optional accelerator of clt.records.dumps: one record as one line of JSON, the
 * very characters json.dumps(rec, ensure_ascii=False, separators=(", ", ": "),
 * allow_nan=False) writes for it.
 *
 * Only the plain shapes records have are written here: a dict with str keys whose
 * values are str, int, float, bool, None, lists/tuples and dicts of the same,
 * nested no deeper than MAX_DEPTH.  Anything else (a NaN or an infinity, a
 * subclass of any of these types, a key that is not a str, a deeper nesting, a
 * cycle) makes encode() return None, and the caller encodes the record with the
 * standard library, which writes or refuses it as it always did.
 * tests/test_jsonout.py holds the two to the same text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#define MAX_DEPTH 100
#define VERSION 1

/* 1 written, 0 not a plain shape (nothing raised), -1 an error raised */
static int write_value(_PyUnicodeWriter *w, PyObject *v, int depth);

static const char hexdigits[] = "0123456789abcdef";

/* a str as json's ensure_ascii=False writes it: " and \ escaped, control
 * characters as \n \r \t \b \f or \u00XX, everything else as it is */
static int
write_string(_PyUnicodeWriter *w, PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t i, start = 0;
    if (_PyUnicodeWriter_WriteChar(w, '"') < 0)
        return -1;
    for (i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= ' ' && c != '"' && c != '\\')
            continue;
        if (i > start && _PyUnicodeWriter_WriteSubstring(w, s, start, i) < 0)
            return -1;
        start = i + 1;
        char buf[7];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            buf[0] = '\\'; buf[1] = 'u'; buf[2] = '0'; buf[3] = '0';
            buf[4] = hexdigits[(c >> 4) & 0xf]; buf[5] = hexdigits[c & 0xf]; buf[6] = 0;
            esc = buf;
        }
        if (_PyUnicodeWriter_WriteASCIIString(w, esc, (Py_ssize_t)strlen(esc)) < 0)
            return -1;
    }
    if (start == 0) {
        if (_PyUnicodeWriter_WriteStr(w, s) < 0)
            return -1;
    } else if (n > start && _PyUnicodeWriter_WriteSubstring(w, s, start, n) < 0)
        return -1;
    return _PyUnicodeWriter_WriteChar(w, '"') < 0 ? -1 : 1;
}

static int
write_repr(_PyUnicodeWriter *w, PyObject *v)
{
    PyObject *r = PyObject_Repr(v);
    if (r == NULL)
        return -1;
    int rc = _PyUnicodeWriter_WriteStr(w, r);
    Py_DECREF(r);
    return rc < 0 ? -1 : 1;
}

static int
write_items(_PyUnicodeWriter *w, PyObject *seq, int depth)
{
    Py_ssize_t i, n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    if (_PyUnicodeWriter_WriteChar(w, '[') < 0)
        return -1;
    for (i = 0; i < n; i++) {
        if (i && _PyUnicodeWriter_WriteASCIIString(w, ", ", 2) < 0)
            return -1;
        int rc = write_value(w, items[i], depth + 1);
        if (rc <= 0)
            return rc;
    }
    return _PyUnicodeWriter_WriteChar(w, ']') < 0 ? -1 : 1;
}

static int
write_dict(_PyUnicodeWriter *w, PyObject *d, int depth)
{
    Py_ssize_t pos = 0, i = 0;
    PyObject *k, *v;
    if (_PyUnicodeWriter_WriteChar(w, '{') < 0)
        return -1;
    while (PyDict_Next(d, &pos, &k, &v)) {
        if (!PyUnicode_CheckExact(k))
            return 0;  /* json turns int, float, bool and None keys into strings: its own way */
        if (i++ && _PyUnicodeWriter_WriteASCIIString(w, ", ", 2) < 0)
            return -1;
        int rc = write_string(w, k);
        if (rc <= 0)
            return rc;
        if (_PyUnicodeWriter_WriteASCIIString(w, ": ", 2) < 0)
            return -1;
        Py_INCREF(v);  /* (a value may be replaced while it is written: hold it) */
        rc = write_value(w, v, depth + 1);
        Py_DECREF(v);
        if (rc <= 0)
            return rc;
    }
    return _PyUnicodeWriter_WriteChar(w, '}') < 0 ? -1 : 1;
}

static int
write_value(_PyUnicodeWriter *w, PyObject *v, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;  /* a cycle, or nesting no record has: the standard library decides */
    if (PyUnicode_CheckExact(v))
        return write_string(w, v);
    if (v == Py_None)
        return _PyUnicodeWriter_WriteASCIIString(w, "null", 4) < 0 ? -1 : 1;
    if (v == Py_True)
        return _PyUnicodeWriter_WriteASCIIString(w, "true", 4) < 0 ? -1 : 1;
    if (v == Py_False)
        return _PyUnicodeWriter_WriteASCIIString(w, "false", 5) < 0 ? -1 : 1;
    if (PyLong_CheckExact(v))
        return write_repr(w, v);
    if (PyFloat_CheckExact(v)) {
        if (!isfinite(PyFloat_AS_DOUBLE(v)))
            return 0;  /* NaN, Infinity: refused by the standard library, in its words */
        return write_repr(w, v);
    }
    if (PyList_CheckExact(v) || PyTuple_CheckExact(v)) {
        /* a list may change while its items are written (it cannot here: no Python code
         * runs), but hold a reference to it all the same */
        Py_INCREF(v);
        int rc = write_items(w, v, depth);
        Py_DECREF(v);
        return rc;
    }
    if (PyDict_CheckExact(v))
        return write_dict(w, v, depth);
    return 0;
}

static PyObject *
encode(PyObject *self, PyObject *rec)
{
    if (!PyDict_CheckExact(rec))
        Py_RETURN_NONE;
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.overallocate = 1;
    int rc = write_dict(&w, rec, 0);
    if (rc <= 0) {
        _PyUnicodeWriter_Dealloc(&w);
        if (rc < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    return _PyUnicodeWriter_Finish(&w);
}

static PyMethodDef methods[] = {
    {"encode", encode, METH_O,
     "encode(rec) -> str, or None: rec as json.dumps(rec, ensure_ascii=False, separators=(', ', ': '), "
     "allow_nan=False) writes it; None when rec is not of the plain shapes written here."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_jsonout", "Optional accelerator of clt.records.dumps.", -1, methods,
};

PyMODINIT_FUNC
PyInit__jsonout(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "VERSION", VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
