"""clt.extract._pscontent (pdfminer's content-stream parser in C) against pdfminer's own
PDFContentParser: the same objects, of the same types, in the same order, and the same
exception where pdfminer raises one; and ``clt extract`` the same with and without it."""

import glob
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral

from clt.extract import pdf_miner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

needs_accel = pytest.mark.skipif(pdf_miner._pscontent is None,
                                 reason="clt.extract._pscontent is not built (python setup.py build_ext --inplace)")


def _streams(datas):
    return [PDFStream({}, d) for d in datas]


def stock_objects(datas):
    out = []
    try:
        parser = PDFContentParser(_streams(datas))
    except PSEOF:
        return out, None
    while True:
        try:
            _, obj = parser.nextobject()
        except PSEOF:
            return out, None
        except Exception as e:  # noqa: BLE001 - what pdfminer raises is part of the behaviour
            return out, (type(e).__name__, str(e))
        out.append(obj)


def accel_objects(datas):
    out = []
    streams = _streams(datas)
    if not streams:
        return out, None
    try:
        for objs in pdf_miner.read_content_objects(streams):
            out.extend(objs)
    except Exception as e:  # noqa: BLE001
        return out, (type(e).__name__, str(e))
    return out, None


def canon(o):
    """A comparable form of a parsed object: types exact, symbols by identity."""
    if isinstance(o, (PSLiteral, PSKeyword)):
        return (type(o).__name__, id(o), repr(o))
    if isinstance(o, bool):
        return ("bool", o)
    if isinstance(o, int):
        return ("int", o)
    if isinstance(o, float):
        return ("float", repr(o))
    if isinstance(o, bytes):
        return ("bytes", o)
    if isinstance(o, list):
        return ("list", [canon(x) for x in o])
    if isinstance(o, dict):
        return ("dict", [(type(k).__name__, k, canon(v)) for k, v in o.items()])
    if isinstance(o, PDFStream):
        return ("stream", canon(o.attrs), o.rawdata, o.data)
    return (type(o).__name__, repr(o))


def check(datas):
    want_objs, want_exc = stock_objects(datas)
    got_objs, got_exc = accel_objects(datas)
    assert [canon(o) for o in got_objs] == [canon(o) for o in want_objs], datas
    assert got_exc == want_exc, datas


# --------------------------------------------------------------------------- hand-made cases

CASES = [
    b"",
    b"   \n\t ",
    b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
    b"1 0 0 1 72.5 -.5 cm +3 -0 +.5 -. . 1. 007 -+1 ++ -- 1.2.3 4..5 q Q",
    b"12345678901234567890123 -99999999999999999999 " + b"9" * 5000 + b" 1 " + b"7" * 500 + b".5",
    b"/Name /A#42C /#41#4 /x#zz /y# /#/ /# /a#4g /\xff\xfe /\xe4\xb8\xad /",
    b"(a(b)c) (unbalanced (x) (\\) (\\(\\)) (\\n\\r\\t\\b\\f\\\\) (\\q\\0\\01\\012\\0123\\777)",
    b"(\\101\\1012\\7) (a\\\nb) (a\\\r\nb) (a\\\rb) (no end",
    b"<48656c6c6f> <4 8 6> <abc> <> < > <zz> <12 g> <<>> <AB>> >> > <",
    b"<< /A 1 /B [1 2 <</C (d)>>] /D true /E false >> BDC",
    b"<< /A 1 /B >> q",
    b"<< 1 2 (k) 3 [4] 5 <<>> 6 >> q",
    b"[ 1 2 [ 3 ] ] ] ] [ { } } { [ } ] >> <<",
    b"{ 1 2 add } [ (x) 3 ] TJ",
    b"% comment\n1 2 m % another\r3 4 l%x\nS",
    b"T* ' \" Tc\x00Tw a\x00b \x01 \x7f \x80 \xff ) # } { ] [",
    b"truefalse true false truex null",
    b"0.1 0.2 0.3 rg\n/GS0 gs\n/Im1 Do\nW n",
    b"[<0012>-3<0045>5.5<0067>]TJ",
    b"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI Q",
    b"q BI /W 1 /H 1 /F /AHx ID 00> EI Q 1 2 m",
    b"q BI /W 1 /H 1 /F /A85 ID z~> EI Q 1 2 m",
    b"q BI /W 1 /H 1 ID xyz",
    b"[ BI /W 1 ID ab EI ] Q",
    b"ID EI BI",
    b"(abc\\",
    b"/abc#",
    b"/abc#4",
    b"<abc",
    b"<<",
    b"(\\400)",
    b"(\\0777)",
    b"<< /A >>",
]


@needs_accel
@pytest.mark.parametrize("data", CASES)
def test_case(data):
    check([data])


@needs_accel
@pytest.mark.parametrize("data", CASES)
def test_case_split(data):
    # every split of the case over two streams: tokens cut by a stream's end
    for i in range(len(data) + 1):
        check([data[:i], data[i:]])
    check([b"", data, b""])


SEAMS = [b"(a\\", b"(a\\\r", b"(\\", b"(", b"/", b"/A#", b"/A#4", b"<", b">", b"<a", b"%x", b"1", b"1.",
         b"Tj", b"(x\\12", b"BI", b"B"]


@needs_accel
def test_seams():
    for a in SEAMS:
        for b in (b"\n5 Tz", b"3 Tz", b"I 1 2", b"<<>>", b">", b"\n", b"41 x", b")", b"012)"):
            check([a, b])
            check([a, b"", b])
            check([a, b, a])


@needs_accel
def test_read_buffer_edges():
    # pdfminer reads a stream 4096 bytes at a time: "\\\r\n" across two reads, tokens across reads
    for pad in range(4080, 4100):
        for tail in (b"(a\\\r\nb) Tj", b"(\\\r\n) Tj", b"/Name#41 Tf", b"123.456 Tz", b"<< /A 1 >> BDC",
                     b"(\\101) Tj", b"BI /W 1 ID x EI", b"<4142> Tj"):
            check([b" " * pad + tail])
            check([b"q " * (pad // 2) + tail, tail])


# --------------------------------------------------------------------------- random / hostile

VOCAB = [b"q", b"Q", b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"Td", b"cm", b"re", b"f", b"'", b'"', b"T*",
         b"1", b"-2", b"3.5", b"-.25", b"+7", b"0", b"1e5", b"..", b"-", b"+", b".", b"99999999999999999999999",
         b"/F1", b"/A#20B", b"/#", b"/", b"(str)", b"(a(b)c)", b"(\\n\\101\\)", b"(", b")", b"\\", b"<41>",
         b"<4 1>", b"<", b">", b"<<", b">>", b"[", b"]", b"{", b"}", b"%c\n", b"%", b"\r", b"\n", b"\r\n",
         b"\x00", b"\t", b"\x0c", b"\x0b", b"#", b"true", b"false", b"BI", b"ID", b"EI", b"\xff", b"\x80",
         b"\\\r", b"\\\n", b"(\\777)", b"(\\0", b"zz"]


def random_data(rng, n):
    parts = []
    for _ in range(n):
        r = rng.random()
        if r < 0.75:
            parts.append(rng.choice(VOCAB))
        elif r < 0.9:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6))))
        else:
            parts.append(bytes(rng.choice(b"()<>[]{}/%\\#.+-0123456789abcdefABCDEF \r\n\t\x00")
                               for _ in range(rng.randrange(1, 12))))
        if rng.random() < 0.7:
            parts.append(rng.choice([b" ", b"\n", b"", b"\r\n", b"\t"]))
    return b"".join(parts)


@needs_accel
@pytest.mark.parametrize("seed", range(40))
def test_random(seed):
    rng = random.Random(seed)
    for _ in range(60):
        data = random_data(rng, rng.randrange(1, 80))
        check([data])
        cuts = sorted(rng.randrange(len(data) + 1) for _ in range(rng.randrange(1, 4)))
        pieces, prev = [], 0
        for c in cuts:
            pieces.append(data[prev:c])
            prev = c
        pieces.append(data[prev:])
        check(pieces)


@needs_accel
@pytest.mark.parametrize("seed", range(6))
def test_random_long(seed):
    # long streams: pdfminer's 4096-byte reads and the parser's batches
    rng = random.Random(1000 + seed)
    data = random_data(rng, 6000)
    check([data])
    check([data[:5000], data[5000:]])


@needs_accel
@pytest.mark.parametrize("seed", range(20))
def test_random_bytes(seed):
    rng = random.Random(2000 + seed)
    for _ in range(30):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        check([data])


# --------------------------------------------------------------------------- real content streams

def _pdfs():
    return sorted(set(glob.glob(str(FIXTURES / "**" / "*.pdf"), recursive=True))
                  | set(glob.glob(str(ROOT / "samples" / "*.pdf"))))


def _page_streams(path):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with open(path, "rb") as f:
        try:
            doc = PDFDocument(PDFParser(f))
            pages = list(PDFPage.create_pages(doc))
        except Exception:  # noqa: BLE001 - encrypted, broken: not this test's business
            return
        for page in pages[:30]:
            datas = []
            try:
                for ref in page.contents or []:
                    s = resolve1(ref)
                    if isinstance(s, PDFStream):
                        datas.append(s.get_data())
            except Exception:  # noqa: BLE001
                continue
            yield datas


@needs_accel
@pytest.mark.parametrize("path", _pdfs(), ids=lambda p: os.path.relpath(p, ROOT))
def test_fixture_streams(path):
    for datas in _page_streams(path):
        check(datas)


# --------------------------------------------------------------------------- end to end

def _extract(pdf, accel):
    env = dict(os.environ, CLT_PDFMINER_ACCEL=accel)
    r = subprocess.run([sys.executable, "-m", "clt", "extract", "--ocr", "never", str(pdf)],
                       capture_output=True, env=env, cwd=ROOT, timeout=600)
    return r.returncode, r.stdout


@needs_accel
@pytest.mark.parametrize("name", ["extract/bulletin.pdf", "extract/twocol.pdf"])
def test_extract_same_with_and_without(name):
    pdf = FIXTURES / name
    off = _extract(pdf, "0")
    on = _extract(pdf, "1")
    assert off[0] == 0
    assert on == off


def test_switch_off(monkeypatch):
    monkeypatch.setenv("CLT_PDFMINER_ACCEL", "0")
    assert not pdf_miner.accel_enabled()


# --------------------------------------------------------------------------- ASCII85

def _outcome(f, data):
    try:
        return f(data)
    except Exception as e:  # noqa: BLE001
        return (type(e).__name__, str(e))


@needs_accel
@pytest.mark.parametrize("seed", range(10))
def test_a85decode(seed):
    import base64

    from pdfminer.ascii85 import ascii85decode

    rng = random.Random(3000 + seed)
    alphabet = bytes(range(33, 118)) + b"z \t\n\r\x0b\x0c~<>\x00\xff"
    for _ in range(400):
        if rng.random() < 0.5:
            data = base64.a85encode(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 80))))
            data = bytearray(data)
            for _ in range(rng.randrange(0, 4)):
                data.insert(rng.randrange(len(data) + 1), rng.choice(alphabet))
            data = bytes(data)
            if rng.random() < 0.5:
                data = rng.choice([b"<~", b"~", b" <~ ", b""]) + data + rng.choice([b"~>", b"~", b" ~> \n", b""])
        else:
            data = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert _outcome(pdf_miner._pscontent.a85decode, data) == _outcome(base64.a85decode, data), data
        assert _outcome(pdf_miner._ascii85decode, data) == _outcome(ascii85decode, data), data


# --------------------------------------------------------------------------- operators

@needs_accel
@pytest.mark.parametrize("seed", range(5))
def test_dispatch_runs_operators_as_pdfminer(seed):
    """_pscontent.dispatch against the Python loop (PDFPageInterpreter.execute's body): the same
    calls with the same operands, the same operands left on the stack."""
    from pdfminer.psparser import KWD

    class Recorder(pdf_miner._AccelInterpreter):
        def __init__(self):
            self.argstack = []
            self.calls = []

        def do_q(self):
            self.calls.append(("q",))

        def do_Tf(self, a, b):
            self.calls.append(("Tf", a, b))

        def do_TJ(self, seq):
            self.calls.append(("TJ", seq))

        def do_cm(self, a, b, c, d, e, f):
            self.calls.append(("cm", a, b, c, d, e, f))

        def do_sc(self):
            self.calls.append(("sc", list(self.pop(len(self.argstack)))))

    class PushRecorder(Recorder):
        def push(self, obj):
            self.argstack.append(("pushed", obj))

    rng = random.Random(seed)
    words = [KWD(w) for w in (b"q", b"Tf", b"TJ", b"cm", b"sc", b"zz", b"yy")]
    objs = [rng.choice(words) if rng.random() < 0.3 else rng.choice([1, 2.5, b"s", [1, b"x"], {"A": 1}, True])
            for _ in range(3000)]
    for cls in (Recorder, PushRecorder):
        for c_pop in (False, True):  # the operands popped by the interpreter's pop, or by the C loop
            a, b = cls(), cls()
            ops_a, ops_b = {}, {}
            a._run_objects(objs, ops_a)
            push = None if type(b).push is pdf_miner.PDFPageInterpreter.push else b.push
            pop = None if c_pop else b.pop
            pdf_miner._pscontent.dispatch(list(objs), ops_b, lambda o: b._operator(ops_b, o), pop, push, b,
                                          PSKeyword)
            assert a.calls == b.calls
            assert a.argstack == b.argstack


@needs_accel
def test_dispatch_passes_exceptions_on():
    from pdfminer.psparser import KWD

    class Boom(pdf_miner._AccelInterpreter):
        def __init__(self):
            self.argstack = []
            self.seen = []

        def do_Tj(self, s):
            self.seen.append(s)
            if s == b"boom":
                raise KeyError("boom")

    b = Boom()
    ops = {}
    with pytest.raises(KeyError):
        pdf_miner._pscontent.dispatch([b"a", KWD(b"Tj"), b"boom", KWD(b"Tj"), b"c", KWD(b"Tj")], ops,
                                      lambda o: b._operator(ops, o), b.pop, None, b, PSKeyword)
    assert b.seen == [b"a", b"boom"]


# --------------------------------------------------------------------------- hostile pages, end to end

def _pdf(contents):
    """A PDF with one page a content stream (Helvetica as /F1), xref and all."""
    n = len(contents)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)) + b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, c in enumerate(contents):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents %d 0 R >>" % (5 + 2 * i))
        objs.append(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


HOSTILE_PAGES = [
    b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET q 10 0 0 10 100 100 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03"
    b" EI Q BT /F1 12 Tf 72 700 Td (World) Tj ET",
    b"BT /F1 12 Tf 72 720 Td (Before) Tj ET BT /F1 12 Tf 72 700 Td (bad \\777 octal) Tj ET",
    b"BT /F1 12 Tf 72 720 Td (Before) Tj ET /P << /MCID >> BDC BT /F1 12 Tf 72 700 Td (After) Tj ET EMC",
    b"BT /F1 12 Tf 72 720 Td (Open array) Tj [ (never) (closed) TJ ET",
    b"BT /F1 12 Tf 1 2 3 72 720 Td (extra operands) Tj 5 Tc ] >> } (x) Tj ET",
    b"BT /F1 12 Tf 72 720 Td <48656c6c6f20686578> Tj (a\\\r\nb\\101\\(\\)) ' 1 2 (quote) \" ET",
    b"BT /F1 12 Tf 72 720 Td (unterminated string Tj ET",
    b"q BI /W 1 /H 1 /BPC 8 /CS /G ID x",
]


@needs_accel
def test_hostile_pages_same_with_and_without(tmp_path):
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(_pdf(HOSTILE_PAGES))
    env0 = dict(os.environ, CLT_PDFMINER_ACCEL="0")
    env1 = dict(os.environ, CLT_PDFMINER_ACCEL="1")
    cmd = [sys.executable, "-m", "clt", "extract", "--ocr", "never", str(pdf)]
    r0 = subprocess.run(cmd, capture_output=True, env=env0, cwd=ROOT, timeout=300)
    r1 = subprocess.run(cmd, capture_output=True, env=env1, cwd=ROOT, timeout=300)
    assert b"Hello" in r0.stdout and b"World" in r0.stdout
    assert (r1.returncode, r1.stdout, r1.stderr) == (r0.returncode, r0.stdout, r0.stderr)
