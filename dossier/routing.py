"""URL rules that compile their URL builders on first use (issue 17: a first request within
1 s of the start).

Werkzeug compiles two small Python functions per rule (one to build a URL with only the
rule's own arguments, one that appends unknown ones as a query string) as soon as the rule
is added: an AST, `compile()` and `exec` for each, about 45 ms for the app's 150-odd rules
at every start, though a worker only ever builds URLs for the few rules its pages link to.
This rule builds exactly the same functions, with Werkzeug's own code, the first time
`url_for` needs them, and keeps them on the rule. Matching (the rule's regex) is untouched.
Two threads building the same rule at once both compile the same function; either result
is kept.
"""

from __future__ import annotations

from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    """A Werkzeug rule whose URL builders are compiled when a URL is first built."""

    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"
        compile_now = super()._compile_builder

        def build_once(rule: Rule, /, **values):
            real = compile_now(append_unknown).__get__(rule, None)
            setattr(rule, attribute, real)
            return real(**values)

        return build_once


def init_app(app) -> None:
    """Every rule added from now on (all the blueprints') builds its URLs lazily."""
    app.url_rule_class = LazyBuildRule
