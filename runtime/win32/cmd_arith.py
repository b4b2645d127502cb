"""`set /a`: cmd's integer arithmetic on environment variables. Expressions of 32-bit signed
integers (decimal, 0x hex, 0 octal) with ( ) ! ~ - * / % + - << >> & ^ | and the
assignments = *= /= %= += -= &= ^= |= <<= >>=, several separated by commas; a name stands for
its variable's value (0 when it is not set or not a number). Division truncates toward zero,
as C's does."""
from __future__ import annotations

import re

TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)|([A-Za-z_][\w.$#@]*)|(<<=|>>=|[*/%+\-&^|]=|"
                   r"<<|>>|[-+*/%&^|!~()=,]))")
BINARY = [("|",), ("^",), ("&",), ("<<", ">>"), ("+", "-"), ("*", "/", "%")]


class ArithError(Exception):
    """cmd's "Missing operand." / "Divide by zero error." and the like."""


def _wrap(n: int) -> int:
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n & 0x80000000 else n


def _number(text: str) -> int:
    """A literal: 0x hex, 0 octal (08 is cmd's "Invalid number"), else decimal."""
    try:
        if text.lower().startswith("0x"):
            return int(text, 16)
        if len(text) > 1 and text.startswith("0"):
            return int(text, 8)
        return int(text)
    except ValueError:
        raise ArithError("Invalid number.  Numeric constants are either decimal (17), "
                         "hexadecimal (0x11), or octal (021).") from None


class _Parser:
    def __init__(self, text: str, get, put):
        self.tokens, self.i, self.get, self.put = [], 0, get, put
        pos = 0
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip():
                    raise ArithError("Invalid number.  Numbers are limited to 32-bits of "
                                     "precision.") if text[pos].isdigit() else \
                        ArithError("Missing operator.")
                break
            kind = "num" if m.group(1) else "name" if m.group(2) else "op"
            self.tokens.append((kind, m.group(m.lastindex)))
            pos = m.end()

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expressions(self) -> int:
        value = self.assignment()
        while self.peek() == ("op", ","):
            self.take()
            value = self.assignment()
        if self.i < len(self.tokens):
            raise ArithError("Missing operator.")
        return value

    def assignment(self) -> int:
        kind, text = self.peek()
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else (None, None)
        if kind == "name" and nxt[0] == "op" and nxt[1].endswith("=") and nxt[1] != "==":
            self.i += 2
            value = self.assignment()
            if nxt[1] != "=":
                value = self.apply(nxt[1][:-1], self.get(text), value)
            value = _wrap(value)
            self.put(text, value)
            return value
        return self.binary(0)

    def binary(self, level: int) -> int:
        if level == len(BINARY):
            return self.unary()
        value = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in BINARY[level]:
            op = self.take()[1]
            value = _wrap(self.apply(op, value, self.binary(level + 1)))
        return value

    @staticmethod
    def apply(op: str, a: int, b: int) -> int:
        if op in "/%" and b == 0:
            raise ArithError("Divide by zero error.")
        if op == "/":
            q = abs(a) // abs(b)
            return q if (a < 0) == (b < 0) else -q
        if op == "%":
            r = abs(a) % abs(b)
            return r if a >= 0 else -r
        return {"+": a + b, "-": a - b, "*": a * b, "&": a & b, "|": a | b, "^": a ^ b,
                "<<": a << (b & 31), ">>": a >> (b & 31)}[op]

    def unary(self) -> int:
        kind, text = self.take()
        if kind == "num":
            return _wrap(_number(text))
        if kind == "name":
            return self.get(text)
        if text == "(":
            value = self.assignment()
            while self.peek() == ("op", ","):
                self.take()
                value = self.assignment()
            if self.take() != ("op", ")"):
                raise ArithError("Unbalanced parenthesis.")
            return value
        if text in ("-", "+", "!", "~"):
            v = self.unary()
            return _wrap({"-": -v, "+": v, "!": int(v == 0), "~": ~v}[text])
        raise ArithError("Missing operand.")


def evaluate(text: str, env_get, env_put) -> int:
    """The value of `set /a`'s expressions; env_get(name) -> str | None, env_put(name, int)."""
    def get(name: str) -> int:
        value = env_get(name)
        try:
            return _wrap(_number(value.strip())) if value else 0
        except ArithError:          # a variable that is no number counts as 0
            return 0
    return _Parser(text.strip().strip('"'), get, env_put).expressions()
