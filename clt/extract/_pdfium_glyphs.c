/* Optional accelerator of clt.extract.pdf_pdfium: one call per page reads every
 * glyph of a PDFium text page into flat arrays, another the bounds of its images.
 *
 * PDFium's functions are not linked: Python hands over their addresses (taken
 * from pypdfium2's ctypes bindings), so this module builds with nothing but the
 * Python headers.  It does exactly what the pure-Python reader in
 * pdf_pdfium._read_glyphs_py does, call for call, and returns the same values;
 * pdf_pdfium._chars turns either into Chars.  tests/test_pdfium_accel.py holds
 * the two to the same records.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <structmember.h>

typedef struct { float left, top, right, bottom; } rectf;
typedef struct { float a, b, c, d, e, f; } matrixf;

typedef int (*is_generated_fn)(void *, int);
typedef unsigned int (*get_unicode_fn)(void *, int);
typedef int (*map_error_fn)(void *, int);
typedef int (*loose_box_fn)(void *, int, rectf *);
typedef void *(*text_object_fn)(void *, int);
typedef double (*font_size_fn)(void *, int);
typedef int (*matrix_fn)(void *, int, matrixf *);
typedef float (*angle_fn)(void *, int);
typedef void *(*obj_font_fn)(void *);
typedef int (*render_mode_fn)(void *);

#define NFUNCS 10

static void *
address(PyObject *o)
{
    return PyLong_AsVoidPtr(o);
}

/* Fill f with the n function addresses of the tuple funcs; 0 with an exception set
 * when funcs is not a tuple of n non-null addresses. */
static int
addresses(PyObject *funcs, void **f, Py_ssize_t n)
{
    if (!PyTuple_Check(funcs) || PyTuple_GET_SIZE(funcs) != n) {
        PyErr_Format(PyExc_TypeError, "functions: a tuple of %zd addresses", n);
        return 0;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        f[j] = address(PyTuple_GET_ITEM(funcs, j));
        if (f[j] == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a null function address");
            return 0;
        }
    }
    return 1;
}

/* read_page(functions, textpage, n) -> (text, x0, x1, top, bottom, obj, gap, size, matrix_ok,
 *                                       c, d, angle, font, mode)
 *
 * functions: the addresses of FPDFText_IsGenerated, FPDFText_GetUnicode,
 * FPDFText_HasUnicodeMapError, FPDFText_GetLooseCharBox, FPDFText_GetTextObject,
 * FPDFText_GetFontSize, FPDFText_GetMatrix, FPDFText_GetCharAngle,
 * FPDFTextObj_GetFont, FPDFTextObj_GetTextRenderMode.  text holds one character per
 * glyph kept; every other item is bytes, one entry per glyph kept: doubles (x0, x1,
 * top, bottom: the loose box, top >= bottom; size; c, d of the glyph's matrix;
 * angle), uint64 (obj, font), one byte (gap: PDFium generated a character since the
 * glyph kept before; matrix_ok) or int32 (mode: -1 without a text object). */
static PyObject *
read_page(PyObject *self, PyObject *args)
{
    PyObject *funcs, *tp_obj;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "OOn", &funcs, &tp_obj, &n))
        return NULL;
    void *f[NFUNCS];
    if (!addresses(funcs, f, NFUNCS))
        return NULL;
    void *tp = address(tp_obj);
    if (tp == NULL && PyErr_Occurred())
        return NULL;
    if (n < 0)
        n = 0;
    is_generated_fn is_generated = (is_generated_fn)f[0];
    get_unicode_fn get_unicode = (get_unicode_fn)f[1];
    map_error_fn map_error = (map_error_fn)f[2];
    loose_box_fn loose_box = (loose_box_fn)f[3];
    text_object_fn text_object = (text_object_fn)f[4];
    font_size_fn font_size = (font_size_fn)f[5];
    matrix_fn get_matrix = (matrix_fn)f[6];
    angle_fn char_angle = (angle_fn)f[7];
    obj_font_fn obj_font = (obj_font_fn)f[8];
    render_mode_fn render_mode = (render_mode_fn)f[9];

    size_t cap = n ? (size_t)n : 1;
    Py_UCS4 *text = PyMem_Malloc(cap * sizeof(Py_UCS4));
    double *dbl = PyMem_Malloc(cap * 8 * sizeof(double)); /* x0 x1 top bottom size c d angle */
    uint64_t *ptr = PyMem_Malloc(cap * 2 * sizeof(uint64_t)); /* obj font */
    unsigned char *byt = PyMem_Malloc(cap * 2); /* gap matrix_ok */
    int32_t *mode = PyMem_Malloc(cap * sizeof(int32_t));
    PyObject *result = NULL;
    if (!text || !dbl || !ptr || !byt || !mode) {
        PyErr_NoMemory();
        goto done;
    }
    double *x0 = dbl, *x1 = dbl + cap, *top = dbl + 2 * cap, *bottom = dbl + 3 * cap;
    double *size = dbl + 4 * cap, *mc = dbl + 5 * cap, *md = dbl + 6 * cap, *angle = dbl + 7 * cap;
    uint64_t *obj = ptr, *font = ptr + cap;
    unsigned char *gap = byt, *mok = byt + cap;

    Py_ssize_t k = 0, low = -1;
    int gen_since = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i == low)
            continue;
        if (is_generated(tp, (int)i) == 1) {
            gen_since = 1;
            continue;
        }
        unsigned int code = get_unicode(tp, (int)i);
        if (code == 0 || code == 0xFFFE || code == 0xFFFF || code == 0x0D || code == 0x0A)
            continue;
        if (code >= 0xD800 && code <= 0xDFFF) {
            /* a character beyond the BMP comes as its two UTF-16 halves, one per
             * index; a half alone is no character */
            unsigned int nxt = (code < 0xDC00 && i + 1 < n) ? get_unicode(tp, (int)(i + 1)) : 0;
            if (nxt >= 0xDC00 && nxt <= 0xDFFF) {
                code = 0x10000 + ((code - 0xD800) << 10) + (nxt - 0xDC00);
                low = i + 1;
            } else {
                code = 0xFFFD;
            }
        }
        if (map_error(tp, (int)i) == 1)
            code = 0xFFFD;
        rectf r;
        if (!loose_box(tp, (int)i, &r))
            continue;
        double yt = r.top, yb = r.bottom;
        if (yt < yb) {
            double s = yt;
            yt = yb;
            yb = s;
        }
        text[k] = (Py_UCS4)code;
        x0[k] = r.left;
        x1[k] = r.right;
        top[k] = yt;
        bottom[k] = yb;
        void *o = text_object(tp, (int)i);
        obj[k] = (uint64_t)(uintptr_t)o;
        size[k] = font_size(tp, (int)i);
        matrixf m;
        if (get_matrix(tp, (int)i, &m)) {
            mok[k] = 1;
            mc[k] = m.c;
            md[k] = m.d;
        } else {
            mok[k] = 0;
            mc[k] = md[k] = 0.0;
        }
        angle[k] = char_angle(tp, (int)i);
        if (o) {
            font[k] = (uint64_t)(uintptr_t)obj_font(o);
            mode[k] = render_mode(o);
        } else {
            font[k] = 0;
            mode[k] = -1;
        }
        gap[k] = (unsigned char)gen_since;
        gen_since = 0;
        k++;
    }

    result = Py_BuildValue(
        "(Ny#y#y#y#y#y#y#y#y#y#y#y#y#)",
        PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text, k),
        (const char *)x0, (Py_ssize_t)(k * sizeof(double)),
        (const char *)x1, (Py_ssize_t)(k * sizeof(double)),
        (const char *)top, (Py_ssize_t)(k * sizeof(double)),
        (const char *)bottom, (Py_ssize_t)(k * sizeof(double)),
        (const char *)obj, (Py_ssize_t)(k * sizeof(uint64_t)),
        (const char *)gap, k,
        (const char *)size, (Py_ssize_t)(k * sizeof(double)),
        (const char *)mok, k,
        (const char *)mc, (Py_ssize_t)(k * sizeof(double)),
        (const char *)md, (Py_ssize_t)(k * sizeof(double)),
        (const char *)angle, (Py_ssize_t)(k * sizeof(double)),
        (const char *)font, (Py_ssize_t)(k * sizeof(uint64_t)),
        (const char *)mode, (Py_ssize_t)(k * sizeof(int32_t)));
done:
    PyMem_Free(text);
    PyMem_Free(dbl);
    PyMem_Free(ptr);
    PyMem_Free(byt);
    PyMem_Free(mode);
    return result;
}

typedef int (*count_fn)(void *);
typedef void *(*get_fn)(void *, int);
typedef void *(*form_get_fn)(void *, unsigned long);
typedef int (*type_fn)(void *);
typedef int (*bounds_fn)(void *, float *, float *, float *, float *);

typedef struct {
    count_fn count;
    get_fn get;
    count_fn form_count;
    form_get_fn form_get;
    type_fn type;
    bounds_fn bounds;
    int kind, form_kind, max_depth;
    float *out;
    Py_ssize_t n, cap;
} walk_state;

/* 0, or 1: an object count failed, 2: an object is missing, 3: bounds failed, 4: no memory */
static int
walk(walk_state *w, void *parent, int form, int level)
{
    int n = form ? w->form_count(parent) : w->count(parent);
    if (n < 0)
        return 1;
    for (int i = 0; i < n; i++) {
        void *o = form ? w->form_get(parent, (unsigned long)i) : w->get(parent, i);
        if (!o)
            return 2;
        int t = w->type(o);
        if (t == w->kind) {
            if (w->n == w->cap) {
                Py_ssize_t cap = w->cap ? 2 * w->cap : 64;
                float *out = PyMem_Realloc(w->out, (size_t)cap * 4 * sizeof(float));
                if (!out)
                    return 4;
                w->out = out;
                w->cap = cap;
            }
            float *q = w->out + 4 * w->n;
            if (!w->bounds(o, q, q + 1, q + 2, q + 3))
                return 3;
            w->n++;
        }
        if (t == w->form_kind && level < w->max_depth - 1) {
            int r = walk(w, o, 1, level + 1);
            if (r)
                return r;
        }
    }
    return 0;
}

/* object_bounds(functions, page, kind, form_kind, max_depth) -> (status, bounds)
 *
 * functions: the addresses of FPDFPage_CountObjects, FPDFPage_GetObject,
 * FPDFFormObj_CountObjects, FPDFFormObj_GetObject, FPDFPageObj_GetType,
 * FPDFPageObj_GetBounds.  bounds: floats, left bottom right top of each object of
 * type kind, Form XObjects entered max_depth - 1 levels deep; status as walk(). */
static PyObject *
object_bounds(PyObject *self, PyObject *args)
{
    PyObject *funcs, *page_obj;
    walk_state w;
    memset(&w, 0, sizeof w);
    if (!PyArg_ParseTuple(args, "OOiii", &funcs, &page_obj, &w.kind, &w.form_kind, &w.max_depth))
        return NULL;
    void *f[6];
    if (!addresses(funcs, f, 6))
        return NULL;
    void *page = address(page_obj);
    if (page == NULL && PyErr_Occurred())
        return NULL;
    w.count = (count_fn)f[0];
    w.get = (get_fn)f[1];
    w.form_count = (count_fn)f[2];
    w.form_get = (form_get_fn)f[3];
    w.type = (type_fn)f[4];
    w.bounds = (bounds_fn)f[5];
    int status = walk(&w, page, 0, 0);
    PyObject *result;
    if (status == 4)
        result = PyErr_NoMemory();
    else
        result = Py_BuildValue("(iy#)", status, w.out ? (const char *)w.out : "",
                               (Py_ssize_t)(status ? 0 : w.n * 4 * (Py_ssize_t)sizeof(float)));
    PyMem_Free(w.out);
    return result;
}

/* ------------------------------------------------------------------ Chars
 *
 * chars() does what pdf_pdfium.PdfiumDocument._chars does with what read_page
 * returned, and makes the layout's Char objects itself: a Char has __slots__,
 * so each slot is a member at a fixed offset of the instance, read once from
 * the class (char_type()).  Char.__init__ only stores its arguments, so the
 * objects are the ones Char(...) makes; tests/test_pdfium_accel.py compares
 * every slot of both.
 */

static const char *slot_names[] = {"text", "x0", "top", "x1", "bottom", "size", "font", "bold", "upright",
                                   "soft", "conf", "angle", "hidden", "order"};
#define NSLOTS 14
enum { S_TEXT, S_X0, S_TOP, S_X1, S_BOTTOM, S_SIZE, S_FONT, S_BOLD, S_UPRIGHT, S_SOFT, S_CONF, S_ANGLE,
       S_HIDDEN, S_ORDER };
static PyTypeObject *char_type_obj = NULL;
static Py_ssize_t slot_off[NSLOTS];

#define SLOT(o, s) (*(PyObject **)((char *)(o) + slot_off[s]))

/* char_type(Char): where Char keeps each slot.  False (nothing changes) when a
 * slot is not a plain object member. */
static PyObject *
char_type(PyObject *self, PyObject *arg)
{
    if (!PyType_Check(arg))
        Py_RETURN_FALSE;
    Py_ssize_t off[NSLOTS];
    for (int j = 0; j < NSLOTS; j++) {
        PyObject *d = PyObject_GetAttrString(arg, slot_names[j]);
        if (!d) {
            PyErr_Clear();
            Py_RETURN_FALSE;
        }
        int ok = Py_IS_TYPE(d, &PyMemberDescr_Type) &&
                 ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX &&
                 ((PyMemberDescrObject *)d)->d_common.d_type == (PyTypeObject *)arg;
        if (ok)
            off[j] = ((PyMemberDescrObject *)d)->d_member->offset;
        Py_DECREF(d);
        if (!ok)
            Py_RETURN_FALSE;
    }
    Py_INCREF(arg);
    Py_XSETREF(char_type_obj, (PyTypeObject *)arg);
    memcpy(slot_off, off, sizeof off);
    Py_RETURN_TRUE;
}

/* a new Char, every slot set (the references are stolen; NULL on failure, then
 * the references are released) */
static PyObject *
new_char(PyObject **v)
{
    PyObject *o = char_type_obj->tp_alloc(char_type_obj, 0);
    if (!o) {
        for (int j = 0; j < NSLOTS; j++)
            Py_XDECREF(v[j]);
        return NULL;
    }
    for (int j = 0; j < NSLOTS; j++) {
        if (!v[j]) {
            for (int i = 0; i < NSLOTS; i++)
                Py_XDECREF(v[i]);
            Py_DECREF(o);
            return NULL;
        }
        SLOT(o, j) = v[j];
    }
    return o;
}

/* Python's float % */
static double
py_mod(double vx, double wx)
{
    double mod = fmod(vx, wx);
    if (mod) {
        if ((wx < 0) != (mod < 0))
            mod += wx;
    } else {
        mod = copysign(0.0, wx);
    }
    return mod;
}

typedef struct {
    double size, angle;
    PyObject *name; /* borrowed from a font facts tuple kept in `fonts` */
    int bold, hidden, upright;
} facts_t;

typedef struct {
    uint64_t key;
    Py_ssize_t val;
} slot_t;

static Py_ssize_t
table_find(slot_t *t, size_t mask, uint64_t key, int *found)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & mask;
    while (t[h].key && t[h].key != key)
        h = (h + 1) & mask;
    *found = t[h].key == key;
    return (Py_ssize_t)h;
}

/* chars(glyphs, left, bottom, right, top, rotation, font, between) -> [Char]
 *
 * glyphs: what read_page returned; font(font, mode) -> (name, bold, hidden) of a
 * text object's font and render mode; between(prev, c) -> the soft blank to put
 * before c (a Char, hidden as c) or None, asked where PDFium generated a
 * character before c. */
static PyObject *
chars(PyObject *self, PyObject *args)
{
    PyObject *g, *font_fn, *between_fn;
    double left, bottom, right, top;
    int rotation;
    if (!PyArg_ParseTuple(args, "O!ddddiOO", &PyTuple_Type, &g, &left, &bottom, &right, &top, &rotation,
                          &font_fn, &between_fn))
        return NULL;
    if (!char_type_obj) {
        PyErr_SetString(PyExc_RuntimeError, "char_type() was not given the Char class");
        return NULL;
    }
    if (PyTuple_GET_SIZE(g) != 14 || !PyUnicode_Check(PyTuple_GET_ITEM(g, 0))) {
        PyErr_SetString(PyExc_TypeError, "glyphs: what read_page returns");
        return NULL;
    }
    for (int j = 1; j < 14; j++)
        if (!PyBytes_Check(PyTuple_GET_ITEM(g, j))) {
            PyErr_SetString(PyExc_TypeError, "glyphs: what read_page returns");
            return NULL;
        }
    PyObject *text = PyTuple_GET_ITEM(g, 0);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
#define ARR(j, T) ((const T *)PyBytes_AS_STRING(PyTuple_GET_ITEM(g, j)))
    const double *X0 = ARR(1, double), *X1 = ARR(2, double), *TOP = ARR(3, double), *BOT = ARR(4, double);
    const uint64_t *OBJ = ARR(5, uint64_t);
    const unsigned char *GAP = ARR(6, unsigned char);
    const double *SIZE = ARR(7, double);
    const unsigned char *MOK = ARR(8, unsigned char);
    const double *MC = ARR(9, double), *MD = ARR(10, double), *ANG = ARR(11, double);
    const uint64_t *FONT = ARR(12, uint64_t);
    const int32_t *MODE = ARR(13, int32_t);
#undef ARR
    for (int j = 1; j < 14; j++) {
        Py_ssize_t width = (j == 6 || j == 8) ? 1 : (j == 13 ? 4 : 8);
        if (PyBytes_GET_SIZE(PyTuple_GET_ITEM(g, j)) != n * width) {
            PyErr_SetString(PyExc_ValueError, "glyphs: arrays of another length than the text");
            return NULL;
        }
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);

    PyObject *out = PyList_New(0), *fonts = PyDict_New();
    size_t tcap = 16;
    while (tcap < 2 * (size_t)n + 2)
        tcap <<= 1;
    slot_t *table = PyMem_Calloc(tcap, sizeof(slot_t));
    facts_t *facts = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(facts_t));
    PyObject *prev = NULL; /* borrowed: the last Char (not a blank), in out */
    PyObject *result = NULL;
    Py_ssize_t nfacts = 0;
    if (!out || !fonts || !table || !facts) {
        PyErr_NoMemory();
        goto done;
    }
    static const double radToDeg = 180.0 / 3.14159265358979323846;
    for (Py_ssize_t k = 0; k < n; k++) {
        uint64_t obj = OBJ[k];
        facts_t *f = NULL;
        Py_ssize_t h = 0;
        int found = 0;
        if (obj) {
            h = table_find(table, tcap - 1, obj, &found);
            if (found)
                f = &facts[table[h].val];
        }
        if (!f) {
            f = &facts[nfacts];
            double size = SIZE[k];
            if (size && MOK[k]) {
                double c = MC[k], d = MD[k];
                double scale = pow(c * c + d * d, 0.5);
                if (scale > 0)
                    size *= scale;
            }
            f->size = size;
            if (obj) {
                PyObject *key = Py_BuildValue("(Ki)", (unsigned long long)FONT[k], (int)MODE[k]);
                if (!key)
                    goto done;
                PyObject *ff = PyDict_GetItemWithError(fonts, key); /* borrowed */
                if (!ff) {
                    if (PyErr_Occurred()) {
                        Py_DECREF(key);
                        goto done;
                    }
                    ff = PyObject_CallFunction(font_fn, "Ki", (unsigned long long)FONT[k], (int)MODE[k]);
                    if (!ff || PyDict_SetItem(fonts, key, ff) < 0) {
                        Py_XDECREF(ff);
                        Py_DECREF(key);
                        goto done;
                    }
                    Py_DECREF(ff); /* the dict holds it */
                }
                Py_DECREF(key);
                if (!PyTuple_Check(ff) || PyTuple_GET_SIZE(ff) != 3) {
                    PyErr_SetString(PyExc_TypeError, "font() returns (name, bold, hidden)");
                    goto done;
                }
                f->name = PyTuple_GET_ITEM(ff, 0);
                f->bold = PyObject_IsTrue(PyTuple_GET_ITEM(ff, 1));
                f->hidden = PyObject_IsTrue(PyTuple_GET_ITEM(ff, 2));
                if (f->bold < 0 || f->hidden < 0)
                    goto done;
            } else {
                f->name = NULL; /* "" */
                f->bold = f->hidden = 0;
            }
            double a = ANG[k];
            a = a < 0 ? 0.0 : py_mod(-(a * radToDeg) - (double)rotation, 360.0);
            f->upright = a < 2.9 || a > 357.1;
            if (f->upright)
                a = 0.0;
            f->angle = a;
            if (obj) {
                table[h].key = obj;
                table[h].val = nfacts;
                nfacts++;
            }
        }
        double x0 = X0[k], x1 = X1[k], ytop = TOP[k], ybot = BOT[k];
        double b0, b1, b2, b3;
        if (rotation == 0) {
            b0 = x0 - left; b1 = top - ytop; b2 = x1 - left; b3 = top - ybot;
        } else if (rotation == 90) {
            b0 = ybot - bottom; b1 = x0 - left; b2 = ytop - bottom; b3 = x1 - left;
        } else if (rotation == 180) {
            b0 = right - x1; b1 = ybot - bottom; b2 = right - x0; b3 = ytop - bottom;
        } else {
            b0 = top - ytop; b1 = right - x1; b2 = top - ybot; b3 = right - x0;
        }
        PyObject *v[NSLOTS];
        v[S_TEXT] = PyUnicode_FromOrdinal((int)PyUnicode_READ(kind, data, k));
        v[S_X0] = PyFloat_FromDouble(b0);
        v[S_TOP] = PyFloat_FromDouble(b1);
        v[S_X1] = PyFloat_FromDouble(b2);
        v[S_BOTTOM] = PyFloat_FromDouble(b3);
        v[S_SIZE] = PyFloat_FromDouble(f->size ? f->size : b3 - b1);
        if (f->name) {
            Py_INCREF(f->name);
            v[S_FONT] = f->name;
        } else {
            v[S_FONT] = PyUnicode_FromStringAndSize("", 0);
        }
        v[S_BOLD] = PyBool_FromLong(f->bold);
        v[S_UPRIGHT] = PyBool_FromLong(f->upright);
        v[S_SOFT] = PyBool_FromLong(0);
        Py_INCREF(Py_None);
        v[S_CONF] = Py_None;
        v[S_ANGLE] = PyFloat_FromDouble(f->angle);
        v[S_HIDDEN] = PyBool_FromLong(f->hidden);
        v[S_ORDER] = PyLong_FromLong(0);
        PyObject *c = new_char(v);
        if (!c)
            goto done;
        if (GAP[k] && prev) {
            PyObject *blank = PyObject_CallFunctionObjArgs(between_fn, prev, c, NULL);
            if (!blank || (blank != Py_None && PyList_Append(out, blank) < 0)) {
                Py_XDECREF(blank);
                Py_DECREF(c);
                goto done;
            }
            Py_DECREF(blank);
        }
        if (PyList_Append(out, c) < 0) {
            Py_DECREF(c);
            goto done;
        }
        Py_DECREF(c);
        prev = c;
    }
    result = out;
    out = NULL;
done:
    Py_XDECREF(out);
    Py_XDECREF(fonts);
    PyMem_Free(table);
    PyMem_Free(facts);
    return result;
}

/* ------------------------------------------------------------------ layout
 *
 * The per-glyph loops of clt.extract.layout (drop_duplicates, _rows, _pitch,
 * _text), written out in C on the same doubles, in the same order: the same
 * results.  Each takes a list of Chars and returns None, leaving the work to
 * the Python version, for anything out of the ordinary: an object that is no
 * Char, a number that is not a float (or a small int), NaN or infinity, a text
 * that is not a str.  tests/test_layout_accel.py holds them to the Python ones.
 */

typedef struct {
    PyObject *c;
    PyObject *text;
    double x0, top, x1, bottom, size;
    int hidden;
    int ink;          /* the text holds something besides blanks */
    int cjk0, cjk1;   /* its first, its last character is CJK (layout.is_cjk) */
} glyph_t;

static int
is_cjk(Py_UCS4 o)
{
    return (0x2E80 <= o && o <= 0x9FFF) || (0xAC00 <= o && o <= 0xD7AF) || (0xF900 <= o && o <= 0xFAFF) ||
           (0xFE30 <= o && o <= 0xFE4F) || (0xFF00 <= o && o <= 0xFFEF) || (0x20000 <= o && o <= 0x3FFFF) ||
           o == 0x2014 || o == 0x2026 || o == 0x201C || o == 0x201D || o == 0x2018 || o == 0x2019 || o == 0x00B7;
}

/* layout.BLANKS */
static int
is_blank(Py_UCS4 o)
{
    return o == 0x20 || o == 0x3000 || o == 0xA0 || o == 0x09 || o == 0x2002 || o == 0x2003 || o == 0x2009;
}

static int
num(PyObject *v, double *out)
{
    if (v && PyFloat_CheckExact(v)) {
        *out = PyFloat_AS_DOUBLE(v);
        return isfinite(*out);
    }
    if (v && PyLong_CheckExact(v)) {
        int overflow = 0;
        long long i = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow || i >= (1LL << 53) || i <= -(1LL << 53)) {
            PyErr_Clear();
            return 0;
        }
        *out = (double)i;
        return 1;
    }
    return 0;
}

/* The glyphs of the list *seq* (n of them), or NULL: no exception when one is out of
 * the ordinary (the caller returns None), an exception when memory runs out. */
static glyph_t *
load(PyObject *seq, Py_ssize_t *n)
{
    if (!char_type_obj || !PyList_CheckExact(seq))
        return NULL;
    Py_ssize_t m = PyList_GET_SIZE(seq);
    glyph_t *g = PyMem_Malloc((m ? (size_t)m : 1) * sizeof(glyph_t));
    if (!g) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *c = PyList_GET_ITEM(seq, i);
        glyph_t *q = &g[i];
        if (Py_TYPE(c) != char_type_obj)
            goto odd;
        PyObject *t = SLOT(c, S_TEXT), *h = SLOT(c, S_HIDDEN);
        if (!t || !PyUnicode_CheckExact(t) || PyUnicode_READY(t) < 0)
            goto odd;
        if (h != Py_True && h != Py_False)
            goto odd;
        if (!num(SLOT(c, S_X0), &q->x0) || !num(SLOT(c, S_TOP), &q->top) || !num(SLOT(c, S_X1), &q->x1) ||
            !num(SLOT(c, S_BOTTOM), &q->bottom) || !num(SLOT(c, S_SIZE), &q->size))
            goto odd;
        q->c = c;
        q->text = t;
        q->hidden = h == Py_True;
        Py_ssize_t len = PyUnicode_GET_LENGTH(t);
        int kind = PyUnicode_KIND(t);
        const void *data = PyUnicode_DATA(t);
        q->ink = 0;
        for (Py_ssize_t j = 0; j < len && !q->ink; j++)
            q->ink = !is_blank(PyUnicode_READ(kind, data, j));
        q->cjk0 = len && is_cjk(PyUnicode_READ(kind, data, 0));
        q->cjk1 = len && is_cjk(PyUnicode_READ(kind, data, len - 1));
    }
    *n = m;
    return g;
odd:
    PyErr_Clear();
    PyMem_Free(g);
    return NULL;
}

#define LOAD_OR_NONE(g, seq, n)            \
    glyph_t *g = load(seq, &n);            \
    if (!g) {                              \
        if (PyErr_Occurred())              \
            return NULL;                   \
        Py_RETURN_NONE;                    \
    }

/* two texts are equal */
static int
same_text(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    if (n != PyUnicode_GET_LENGTH(b) || PyUnicode_KIND(a) != PyUnicode_KIND(b))
        return 0;
    return memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)n * PyUnicode_KIND(a)) == 0;
}

typedef struct {
    Py_hash_t hash;   /* the text's */
    long long ix;     /* the x cell */
    PyObject *text;   /* NULL: a free entry */
    Py_ssize_t head, tail;  /* the glyphs kept in the cell, linked through next[] */
} cell_t;

static cell_t *
cell_find(cell_t *t, size_t mask, PyObject *text, Py_hash_t hash, long long ix)
{
    size_t h = ((size_t)hash ^ ((size_t)ix * 0x9E3779B97F4A7C15ull)) & mask;
    while (t[h].text && !(t[h].hash == hash && t[h].ix == ix && same_text(t[h].text, text)))
        h = (h + 1) & mask;
    return &t[h];
}

/* drop_duplicates(chars, em) -> (chars, dropped) or None: layout.drop_duplicates */
static PyObject *
l_drop_duplicates(PyObject *self, PyObject *args)
{
    PyObject *seq;
    double dup_em;
    if (!PyArg_ParseTuple(args, "Od", &seq, &dup_em))
        return NULL;
    Py_ssize_t n;
    LOAD_OR_NONE(g, seq, n)
    size_t cap = 16;
    while (cap < 2 * (size_t)n + 2)
        cap <<= 1;
    long long *cell = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(long long));
    double *tols = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(double));
    Py_hash_t *hashes = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(Py_hash_t));
    Py_ssize_t *next = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(Py_ssize_t));
    cell_t *table = PyMem_Calloc(cap, sizeof(cell_t));
    PyObject *out = NULL, *result = NULL;
    Py_ssize_t dropped = 0, kept = 0;
    char *keep = PyMem_Malloc(n ? (size_t)n : 1);
    if (!cell || !tols || !hashes || !next || !table || !keep) {
        PyErr_NoMemory();
        goto done;
    }
    /* every tolerance and cell first: one out of range leaves the work to Python
     * before any glyph is marked bold */
    for (Py_ssize_t i = 0; i < n; i++) {
        double tol = (g[i].size > 1.0 ? g[i].size : 1.0) * dup_em;
        double q = g[i].x0 / tol;
        if (!isfinite(q) || q >= 9e15 || q <= -9e15) {
            result = Py_None;
            Py_INCREF(result);
            goto done;
        }
        tols[i] = tol;
        cell[i] = (long long)q; /* int(): toward zero */
        hashes[i] = PyObject_Hash(g[i].text);
        if (hashes[i] == -1)
            goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        glyph_t *c = &g[i];
        PyObject *t = c->text;
        Py_ssize_t len = PyUnicode_GET_LENGTH(t);
        /* t in " \u3000": "", " ", "\u3000" and " \u3000" */
        int skip = 0;
        if (len == 0)
            skip = 1;
        else if (len == 1) {
            Py_UCS4 a = PyUnicode_READ_CHAR(t, 0);
            skip = a == 0x20 || a == 0x3000;
        } else if (len == 2)
            skip = PyUnicode_READ_CHAR(t, 0) == 0x20 && PyUnicode_READ_CHAR(t, 1) == 0x3000;
        keep[i] = 1;
        if (skip) {
            kept++;
            continue;
        }
        double tol = tols[i];
        long long ix = cell[i];
        Py_ssize_t dup = -1;
        for (int j = 0; j < 3 && dup < 0; j++) {
            long long k = j == 0 ? ix : (j == 1 ? ix - 1 : ix + 1);
            cell_t *e = cell_find(table, cap - 1, t, hashes[i], k);
            if (!e->text)
                continue;
            for (Py_ssize_t m = e->head; m >= 0; m = next[m]) {
                glyph_t *o = &g[m];
                double lo = o->x1 < c->x1 ? o->x1 : c->x1;   /* min(other.x1, c.x1) */
                double hi = c->x0 > o->x0 ? c->x0 : o->x0;   /* max(other.x0, c.x0) */
                if (fabs(o->x0 - c->x0) <= tol && fabs(o->top - c->top) <= tol &&
                    lo - hi >= 0.7 * (c->x1 - c->x0)) {
                    dup = m;
                    break;
                }
            }
        }
        if (dup >= 0) {
            PyObject *d = g[dup].c, *old = SLOT(d, S_BOLD);
            Py_INCREF(Py_True);
            SLOT(d, S_BOLD) = Py_True;
            Py_XDECREF(old);
            dropped++;
            keep[i] = 0;
            continue;
        }
        cell_t *e = cell_find(table, cap - 1, t, hashes[i], ix);
        next[i] = -1;
        if (!e->text) {
            e->text = t;
            e->hash = hashes[i];
            e->ix = ix;
            e->head = e->tail = i;
        } else {
            next[e->tail] = i;
            e->tail = i;
        }
        kept++;
    }
    out = PyList_New(kept);
    if (!out)
        goto done;
    for (Py_ssize_t i = 0, j = 0; i < n; i++)
        if (keep[i]) {
            Py_INCREF(g[i].c);
            PyList_SET_ITEM(out, j++, g[i].c);
        }
    result = Py_BuildValue("(On)", out, dropped);
done:
    PyMem_Free(g);
    PyMem_Free(cell);
    PyMem_Free(tols);
    PyMem_Free(hashes);
    PyMem_Free(next);
    PyMem_Free(table);
    PyMem_Free(keep);
    Py_XDECREF(out);
    return result;
}

/* a sort key of two doubles, then the position (a stable sort): rows sort by
   ((top + bottom) / 2, x0), pieces by (x0, top) */
typedef struct {
    double mid, x0;
    Py_ssize_t i;
} rowkey_t;

static int
rowkey_cmp(const void *pa, const void *pb)
{
    const rowkey_t *a = pa, *b = pb;
    if (a->mid != b->mid)
        return a->mid < b->mid ? -1 : 1;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return a->i < b->i ? -1 : (a->i > b->i);
}

/* rows(chars) -> [[Char]] or None: layout._rows */
static PyObject *
l_rows(PyObject *self, PyObject *seq)
{
    Py_ssize_t n;
    LOAD_OR_NONE(g, seq, n)
    rowkey_t *keys = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(rowkey_t));
    PyObject *rows = PyList_New(0), *cur = NULL, *result = NULL;
    if (!keys || !rows) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        keys[i].mid = (g[i].top + g[i].bottom) / 2;
        keys[i].x0 = g[i].x0;
        keys[i].i = i;
    }
    qsort(keys, (size_t)n, sizeof(rowkey_t), rowkey_cmp);
    double top = 0.0, bottom = 0.0;
    for (Py_ssize_t j = 0; j < n; j++) {
        glyph_t *c = &g[keys[j].i];
        double h = c->bottom - c->top;
        if (0.1 > h)
            h = 0.1;
        if (cur && PyList_GET_SIZE(cur)) {
            double ctop = c->top, cbottom = c->bottom;
            double overlap = (cbottom < bottom ? cbottom : bottom) - (ctop > top ? ctop : top);
            double band = bottom - top;
            if (0.1 > band)
                band = 0.1;
            if (overlap >= 0.5 * (band < h ? band : h)) {
                if (PyList_Append(cur, c->c) < 0)
                    goto done;
                if (h <= (bottom - top) * 1.5)
                    top = c->top < top ? c->top : top;          /* min(top, c.top) */
                if (h <= (bottom - top) * 1.5)
                    bottom = c->bottom > bottom ? c->bottom : bottom;  /* max(bottom, c.bottom) */
                continue;
            }
            if (PyList_Append(rows, cur) < 0)
                goto done;
        }
        Py_XDECREF(cur);
        cur = PyList_New(1);
        if (!cur)
            goto done;
        Py_INCREF(c->c);
        PyList_SET_ITEM(cur, 0, c->c);
        top = c->top;
        bottom = c->bottom;
    }
    if (cur && PyList_GET_SIZE(cur) && PyList_Append(rows, cur) < 0)
        goto done;
    result = rows;
    rows = NULL;
done:
    PyMem_Free(g);
    PyMem_Free(keys);
    Py_XDECREF(cur);
    Py_XDECREF(rows);
    return result;
}

static int
dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : (a > b);
}

/* the pitch of n glyphs (layout._pitch): 1 and *pitch, or 0 for None, -1 out of memory */
static int
pitch_of(glyph_t *g, Py_ssize_t n, double *pitch)
{
    double *steps = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(double));
    if (!steps) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t k = 0;
    glyph_t *prev = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        glyph_t *c = &g[i];
        if (prev && c->ink && c->cjk0)
            steps[k++] = c->x0 - prev->x0;
        prev = c->ink && c->cjk1 ? c : NULL;
    }
    int found = 0;
    if (k >= 3) {
        qsort(steps, (size_t)k, sizeof(double), dbl_cmp);
        *pitch = steps[k / 4];
        found = 1;
    }
    PyMem_Free(steps);
    return found;
}

/* pitch(piece) -> float, None, or False (the Python version decides): layout._pitch */
static PyObject *
l_pitch(PyObject *self, PyObject *seq)
{
    Py_ssize_t n;
    glyph_t *g = load(seq, &n);
    if (!g) {
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_FALSE;
    }
    double pitch;
    int r = pitch_of(g, n, &pitch);
    PyMem_Free(g);
    if (r < 0)
        return NULL;
    if (!r)
        Py_RETURN_NONE;
    return PyFloat_FromDouble(pitch);
}

/* text(piece, cjk_gap, word_gap) -> (text, pitch) or None: layout._pitch and layout._text */
static PyObject *
l_text(PyObject *self, PyObject *args)
{
    PyObject *seq;
    double cjk_gap, word_gap;
    if (!PyArg_ParseTuple(args, "Odd", &seq, &cjk_gap, &word_gap))
        return NULL;
    Py_ssize_t n;
    LOAD_OR_NONE(g, seq, n)
    double pitch = 0.0;
    int has = pitch_of(g, n, &pitch);
    PyObject *result = NULL, *parts = NULL, *space = NULL, *text = NULL;
    if (has < 0)
        goto done;
    int have_pitch = has && pitch != 0.0; /* "if pitch" */
    parts = PyList_New(0);
    space = PyUnicode_FromStringAndSize(" ", 1);
    if (!parts || !space)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        glyph_t *c = &g[i];
        if (i) {
            glyph_t *p = &g[i - 1];
            int sp = 0;  /* layout._sep */
            if (p->ink && c->ink) {
                double gap = c->x0 - p->x1;
                double em = c->size;
                if (p->size > em)
                    em = p->size;
                if (1.0 > em)
                    em = 1.0;
                if (p->cjk1 || c->cjk0) {
                    sp = !(p->hidden && c->hidden) && gap >= cjk_gap * em;
                } else if (gap < word_gap * em) {
                    sp = 0;
                } else {
                    sp = !(have_pitch && fabs((c->x0 - p->x0) - pitch) <= 0.1 * em);
                }
            }
            if (sp && PyList_Append(parts, space) < 0)
                goto done;
        }
        if (PyList_Append(parts, c->text) < 0)
            goto done;
    }
    PyObject *empty = PyUnicode_FromStringAndSize("", 0);
    if (!empty)
        goto done;
    text = PyUnicode_Join(empty, parts);
    Py_DECREF(empty);
    if (!text)
        goto done;
    if (has)
        result = Py_BuildValue("(Od)", text, pitch);
    else
        result = Py_BuildValue("(OO)", text, Py_None);
done:
    PyMem_Free(g);
    Py_XDECREF(parts);
    Py_XDECREF(space);
    Py_XDECREF(text);
    return result;
}

/* pieces(row, split_gap) -> [[Char]] or None: layout._pieces (row sorted in place) */
static PyObject *
l_pieces(PyObject *self, PyObject *args)
{
    PyObject *row;
    double split_gap;
    if (!PyArg_ParseTuple(args, "Od", &row, &split_gap))
        return NULL;
    Py_ssize_t n;
    LOAD_OR_NONE(g0, row, n)
    int all_hidden = 1;
    for (Py_ssize_t i = 0; i < n; i++)
        all_hidden &= g0[i].hidden;
    if (all_hidden) {  /* an OCR layer (or no glyph): drawing order, left to Python */
        PyMem_Free(g0);
        Py_RETURN_NONE;
    }
    rowkey_t *keys = PyMem_Malloc((size_t)n * sizeof(rowkey_t));
    glyph_t *g = PyMem_Malloc((size_t)n * sizeof(glyph_t));
    PyObject *pieces = NULL, *cur = NULL, *result = NULL;
    if (!keys || !g) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        keys[i].mid = g0[i].x0;
        keys[i].x0 = g0[i].top;
        keys[i].i = i;
    }
    qsort(keys, (size_t)n, sizeof(rowkey_t), rowkey_cmp);  /* keys (x0, top, i) */
    for (Py_ssize_t j = 0; j < n; j++)
        g[j] = g0[keys[j].i];
    /* the row sorted in place (the list holds the same objects: no reference changes) */
    for (Py_ssize_t j = 0; j < n; j++)
        PyList_SET_ITEM(row, j, g[j].c);
    /* _evenly_spread */
    {
        Py_ssize_t nink = 0;
        double mn = 0.0, mx = 0.0;
        glyph_t *a = NULL;
        for (Py_ssize_t j = 0; j < n; j++) {
            if (!g[j].ink)
                continue;
            if (a) {
                double gap = g[j].x0 - a->x1;
                if (nink == 1 || gap < mn)
                    mn = gap;
                if (nink == 1 || gap > mx)
                    mx = gap;
            }
            a = &g[j];
            nink++;
        }
        if (nink >= 3 && mn > 0 && mx <= 1.25 * mn) {
            result = Py_BuildValue("[O]", row);
            goto done;
        }
    }
    pieces = PyList_New(0);
    if (!pieces)
        goto done;
    int cur_ink = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        glyph_t *c = &g[j];
        int cut = j == 0;
        if (j) {
            glyph_t *p = &g[j - 1];
            double em = c->size > p->size ? c->size : p->size;
            if (em < 1.0)
                em = 1.0;
            cut = c->x0 - p->x1 > split_gap * em && p->ink && c->ink;
        }
        if (cut) {
            /* a piece made only of blanks carries nothing */
            if (cur && cur_ink && PyList_Append(pieces, cur) < 0)
                goto done;
            Py_XDECREF(cur);
            cur = PyList_New(0);
            if (!cur)
                goto done;
            cur_ink = 0;
        }
        if (PyList_Append(cur, c->c) < 0)
            goto done;
        cur_ink |= c->ink;
    }
    if (cur && cur_ink && PyList_Append(pieces, cur) < 0)
        goto done;
    result = pieces;
    pieces = NULL;
done:
    PyMem_Free(g0);
    PyMem_Free(g);
    PyMem_Free(keys);
    Py_XDECREF(cur);
    Py_XDECREF(pieces);
    return result;
}

/* prepare(chars) -> (any hidden, any not upright) or None, every glyph's order set to
 * its position: the start of layout.build_lines */
static PyObject *
l_prepare(PyObject *self, PyObject *seq)
{
    Py_ssize_t n;
    LOAD_OR_NONE(g, seq, n)
    int hidden = 0, slanted = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *u = SLOT(g[i].c, S_UPRIGHT);
        if (u != Py_True && u != Py_False) {
            PyMem_Free(g);
            Py_RETURN_NONE;
        }
        slanted |= u == Py_False;
        hidden |= g[i].hidden;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyLong_FromSsize_t(i);
        if (!o) {
            PyMem_Free(g);
            return NULL;
        }
        Py_XSETREF(SLOT(g[i].c, S_ORDER), o);
    }
    PyMem_Free(g);
    return Py_BuildValue("(OO)", hidden ? Py_True : Py_False, slanted ? Py_True : Py_False);
}

/* summary(piece, font_size) -> (ink, x0, x1, top, bottom, font, size, bold, styles) or None:
 * what layout.build_lines works out of a piece — its printed glyphs (ink, or all of
 * them when none is), their extent (the Chars' own number objects, as min() and max()
 * give them), the font and size of most of its characters, whether all are bold,
 * and how many (font, size, bold) it mixes.  font_size: layout.font_size. */
static PyObject *
l_summary(PyObject *self, PyObject *args)
{
    PyObject *seq, *font_size;
    if (!PyArg_ParseTuple(args, "OO", &seq, &font_size))
        return NULL;
    Py_ssize_t n;
    LOAD_OR_NONE(g, seq, n)
    PyObject *ink = NULL, *result = NULL;
    typedef struct { PyObject *font, *size; int bold; Py_ssize_t weight; } style_t;
    style_t *st = NULL;
    double *sizes = NULL;
    PyObject **fs = NULL;
    Py_ssize_t nst = 0, nsz = 0;
    if (!n)
        goto none;
    Py_ssize_t nink = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = g[i].c;
        if (!PyFloat_CheckExact(SLOT(c, S_SIZE)) || !PyUnicode_CheckExact(SLOT(c, S_FONT)) ||
            (SLOT(c, S_BOLD) != Py_True && SLOT(c, S_BOLD) != Py_False))
            goto none;
        nink += g[i].ink;
    }
    int all = nink == 0;  /* "or piece" */
    ink = PyList_New(0);
    st = PyMem_Malloc((size_t)n * sizeof(style_t));
    sizes = PyMem_Malloc((size_t)n * sizeof(double));
    fs = PyMem_Malloc((size_t)n * sizeof(PyObject *));
    if (!ink || !st || !sizes || !fs) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t ix0 = -1, ix1 = -1, itop = -1, ibot = -1;
    int bold = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        glyph_t *c = &g[i];
        if (!all && !c->ink)
            continue;
        if (PyList_Append(ink, c->c) < 0)
            goto done;
        /* min() and max(): the first of equal ones */
        if (ix0 < 0 || c->x0 < g[ix0].x0)
            ix0 = i;
        if (ix1 < 0 || c->x1 > g[ix1].x1)
            ix1 = i;
        if (itop < 0 || c->top < g[itop].top)
            itop = i;
        if (ibot < 0 || c->bottom > g[ibot].bottom)
            ibot = i;
        PyObject *b = SLOT(c->c, S_BOLD), *font = SLOT(c->c, S_FONT);
        bold &= b == Py_True;
        /* font_size(c.size), asked once per size */
        double sz = c->size;
        PyObject *f = NULL;
        for (Py_ssize_t j = 0; j < nsz; j++)
            if (memcmp(&sizes[j], &sz, sizeof sz) == 0) {
                f = fs[j];
                break;
            }
        if (!f) {
            f = PyObject_CallOneArg(font_size, SLOT(c->c, S_SIZE));
            if (!f)
                goto done;
            if (!PyFloat_CheckExact(f)) {
                Py_DECREF(f);
                goto none;
            }
            sizes[nsz] = sz;
            fs[nsz++] = f;
        }
        double fv = PyFloat_AS_DOUBLE(f);
        Py_ssize_t k;
        for (k = 0; k < nst; k++)
            if (st[k].bold == (b == Py_True) && PyFloat_AS_DOUBLE(st[k].size) == fv &&
                same_text(st[k].font, font))
                break;
        if (k == nst) {
            st[k].font = font;
            st[k].size = f;
            st[k].bold = b == Py_True;
            st[k].weight = 0;
            nst++;
        }
        st[k].weight += PyUnicode_GET_LENGTH(c->text);
    }
    Py_ssize_t best = 0;  /* most_common(1): the first of equal weights */
    for (Py_ssize_t k = 1; k < nst; k++)
        if (st[k].weight > st[best].weight)
            best = k;
    result = Py_BuildValue("(OOOOOOOOn)", ink, SLOT(g[ix0].c, S_X0), SLOT(g[ix1].c, S_X1),
                           SLOT(g[itop].c, S_TOP), SLOT(g[ibot].c, S_BOTTOM), st[best].font, st[best].size,
                           bold ? Py_True : Py_False, nst);
    goto done;
none:
    result = Py_None;
    Py_INCREF(result);
done:
    for (Py_ssize_t j = 0; j < nsz; j++)
        Py_DECREF(fs[j]);
    PyMem_Free(g);
    PyMem_Free(st);
    PyMem_Free(sizes);
    PyMem_Free(fs);
    Py_XDECREF(ink);
    return result;
}

/* cover(rows, lo, hi) -> (ink, em, cover) or None: layout._gutter's printed glyphs (in
 * row order), their median size (or 10.0) and how many of them cover each point of
 * the band lo..hi */
static PyObject *
l_cover(PyObject *self, PyObject *args)
{
    PyObject *rows;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "Onn", &rows, &lo, &hi))
        return NULL;
    if (!PyList_CheckExact(rows) || hi < lo || hi - lo > 10000000)
        Py_RETURN_NONE;
    PyObject *flat = PyList_New(0);
    if (!flat)
        return NULL;
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(rows); r++) {
        PyObject *row = PyList_GET_ITEM(rows, r);
        if (!PyList_CheckExact(row)) {
            Py_DECREF(flat);
            Py_RETURN_NONE;
        }
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(row); j++)
            if (PyList_Append(flat, PyList_GET_ITEM(row, j)) < 0) {
                Py_DECREF(flat);
                return NULL;
            }
    }
    Py_ssize_t n;
    glyph_t *g = load(flat, &n);
    if (!g) {
        Py_DECREF(flat);
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;
    }
    PyObject *ink = PyList_New(0), *cover = NULL, *result = NULL;
    double *sizes = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(double));
    Py_ssize_t *delta = PyMem_Calloc((size_t)(hi - lo + 2), sizeof(Py_ssize_t));
    Py_ssize_t nink = 0;
    if (!ink || !sizes || !delta) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!g[i].ink)
            continue;
        if (fabs(g[i].x0) > 9e15 || fabs(g[i].x1) > 9e15) {
            result = Py_None;
            Py_INCREF(result);
            goto done;
        }
        if (PyList_Append(ink, g[i].c) < 0)
            goto done;
        sizes[nink++] = g[i].size;
        long long a = (long long)g[i].x0 + 1, b = (long long)g[i].x1;  /* int(): toward zero */
        if (a < lo)
            a = lo;
        if (b > hi)
            b = hi;
        if (a <= b) {
            delta[a - lo] += 1;
            delta[b - lo + 1] -= 1;
        }
    }
    double em = 10.0;
    if (nink) {
        qsort(sizes, (size_t)nink, sizeof(double), dbl_cmp);
        em = sizes[nink / 2];
        if (!em)
            em = 10.0;
    }
    cover = PyList_New(hi - lo + 1);
    if (!cover)
        goto done;
    Py_ssize_t run = 0;
    for (Py_ssize_t j = 0; j <= hi - lo; j++) {
        run += delta[j];
        PyObject *v = PyLong_FromSsize_t(run);
        if (!v)
            goto done;
        PyList_SET_ITEM(cover, j, v);
    }
    result = Py_BuildValue("(OdO)", ink, em, cover);
done:
    PyMem_Free(g);
    PyMem_Free(sizes);
    PyMem_Free(delta);
    Py_DECREF(flat);
    Py_XDECREF(ink);
    Py_XDECREF(cover);
    return result;
}

static PyMethodDef methods[] = {
    {"prepare", l_prepare, METH_O, "The start of layout.build_lines, or None."},
    {"summary", l_summary, METH_VARARGS, "What layout.build_lines works out of a piece, or None."},
    {"cover", l_cover, METH_VARARGS, "layout._gutter's coverage of the band, or None."},
    {"pieces", l_pieces, METH_VARARGS, "layout._pieces, or None."},
    {"drop_duplicates", l_drop_duplicates, METH_VARARGS, "layout.drop_duplicates, or None."},
    {"rows", l_rows, METH_O, "layout._rows, or None."},
    {"pitch", l_pitch, METH_O, "layout._pitch, or False."},
    {"text", l_text, METH_VARARGS, "layout._pitch and layout._text, or None."},
    {"read_page", read_page, METH_VARARGS, "Every glyph of a PDFium text page, as flat arrays."},
    {"object_bounds", object_bounds, METH_VARARGS, "The bounds of a page's objects of one type."},
    {"char_type", char_type, METH_O, "Tell chars() the layout's Char class."},
    {"chars", chars, METH_VARARGS, "The Chars of what read_page returned."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdfium_glyphs", "Optional accelerator of clt.extract.pdf_pdfium.", -1, methods,
};

PyMODINIT_FUNC
PyInit__pdfium_glyphs(void)
{
    PyObject *m = PyModule_Create(&module);
    /* what pdf_pdfium checks: a module built from an older source (an editable
     * install not rebuilt) is not used */
    if (m && PyModule_AddIntConstant(m, "VERSION", 3) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
