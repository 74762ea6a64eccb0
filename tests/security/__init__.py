"""Attacks found by outside reviews, each reproduced step by step through the real app.

One module per finding; every test here failed on the code before its fix."""
