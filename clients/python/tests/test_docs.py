"""The examples of docs/clients.md, run as written against a real engine, so that the guide cannot rot."""

import re
import unittest

from .engine import REPOSITORY, Engine

MARKER = "<!-- example: python"


def examples():
    """Every ```python block that follows an example marker in docs/clients.md."""
    text = (REPOSITORY / "docs" / "clients.md").read_text()
    return re.findall(re.escape(MARKER) + r".*?-->\n```python\n(.*?)```", text, re.S)


class DocsExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = Engine().start()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def test_the_guide_has_examples_to_run(self):
        self.assertGreaterEqual(len(examples()), 1)

    def test_each_example_runs_against_the_engine_as_written(self):
        for n, code in enumerate(examples()):
            with self.subTest(example=n):
                # the examples speak to the default port; this engine listens on a free one
                self.assertIn('"127.0.0.1", 7000', code)
                exec(compile(code.replace('"127.0.0.1", 7000', f'"127.0.0.1", {self.engine.bridge_port}'),
                             f"docs/clients.md example {n}", "exec"), {})


if __name__ == "__main__":
    unittest.main()
