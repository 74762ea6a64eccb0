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

setup(
    name="frontiers_de",
    version="0.1.0",
    description="FDE Press, the publishing system of Frontiers of Digital Education",
    packages=find_namespace_packages(include=["frontiers_de", "frontiers_de.*"]),
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
