"""Build of clt: the metadata is in setup.cfg; this file adds the optional compiled
accelerators: of the PDFium reader (clt/extract/_pdfium_glyphs.c), of the record
writer (clt/_jsonout.c) and of pdfminer's content-stream parser (clt/extract/_pscontent.c).
Where no C compiler or no Python headers are found the build goes on without them and
clt reads PDFium's glyphs, writes its records and reads pdfminer's content streams in
pure Python: the same records, more slowly."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """build_ext that never fails the install: the accelerator is optional."""

    def run(self):
        try:
            super().run()
        except Exception as e:  # no compiler at all, no headers...
            self.announce(f"clt: an optional accelerator was not built ({e}); pure Python is used",
                          level=3)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as e:
            self.announce(f"clt: an optional accelerator was not built ({e}); pure Python is used",
                          level=3)


setup(
    ext_modules=[Extension("clt.extract._pdfium_glyphs", ["clt/extract/_pdfium_glyphs.c"], optional=True),
                 Extension("clt._jsonout", ["clt/_jsonout.c"], optional=True),
                 Extension("clt.extract._pscontent", ["clt/extract/_pscontent.c"], optional=True)],
    cmdclass={"build_ext": OptionalBuildExt},
)
