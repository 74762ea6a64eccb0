"""FDE Press: the publishing system of Frontiers of Digital Education."""

from setuptools import find_namespace_packages, setup

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
    "crossref-commons",
    "pikepdf",
    "pillow",
    "requests",
    "click",
    "jsonschema",
]

dev_requires = [
    "pytest",
    "pytest-cov",
    "webtest",
    "aiosmtpd",
    "playwright",
    "factory_boy",
    "ruff",
    "pyramid_debugtoolbar",
    "sickle",
    # Real parsers read back the citation exports in the tests.
    "pybtex",
    "rispy",
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
    entry_points={
        "paste.app_factory": ["main = frontiers_de:main"],
        "console_scripts": ["fde = frontiers_de.cli:main"],
    },
)
