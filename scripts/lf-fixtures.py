#!/usr/bin/env python3
"""Write fixtures/lf/templates.json: what LLaMA-Factory itself renders for every registered template.

    python3 scripts/lf-fixtures.py PATH_TO_LF_CHECKOUT > fixtures/lf/templates.json

Runs LF's own data/template.py, formatter.py, tool_utils.py and the supervised/pairwise processors from the
checkout (nothing of LF is copied into lfdata), with stand-ins for what those modules import but text
templates never use (logging, the datasets library, the multimodal plugins, which leave text without media
placeholders unchanged) and a recording tokenizer: every string slot becomes one "id" that is the string
itself, so the output shows exactly which strings LF encodes separately, which ids are special tokens, and
which ones the labels mask. Needs only the Python standard library and typing_extensions.
"""

import datetime as real_datetime
import enum
import importlib.util
import json
import sys
import types
from pathlib import Path

LF = Path(sys.argv[1]) / "src" / "llamafactory"
FIXED_DATE = (2026, 12, 5)  # the llama3 tool prompt prints today's date; the test pins the clock to it


def module(name, **attrs):
    mod = types.ModuleType(name)
    mod.__path__ = []
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


class _Logger:
    def __getattr__(self, _):
        return lambda *a, **k: None


class Role(str, enum.Enum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    FUNCTION = "function"
    OBSERVATION = "observation"

    def __str__(self):
        return self.value


class Plugin:
    """The text path of a multimodal plugin for an example without media: messages and ids unchanged."""

    def __init__(self, name="base", **tokens):
        self.name, self.tokens = name, tokens

    def process_messages(self, messages, images, videos, audios, processor):
        return messages

    def process_token_ids(self, input_ids, labels, images, videos, audios, tokenizer, processor):
        return input_ids, labels


module("llamafactory")
module("llamafactory.extras")
module("llamafactory.extras.logging", get_logger=lambda *_: _Logger())
module("llamafactory.extras.constants", IGNORE_INDEX=-100)
sys.modules["llamafactory.extras"].logging = sys.modules["llamafactory.extras.logging"]
module("llamafactory.data")
module("llamafactory.data.data_utils", Role=Role, SLOTS=list)
module("llamafactory.data.mm_plugin", get_mm_plugin=lambda name="base", **kw: Plugin(name, **kw))
module("llamafactory.data.processor")
tool_utils = load("llamafactory.data.tool_utils", LF / "data" / "tool_utils.py")


class _FixedDatetime(real_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(*FIXED_DATE)


tool_utils.datetime = _FixedDatetime
load("llamafactory.data.formatter", LF / "data" / "formatter.py")
template_mod = load("llamafactory.data.template", LF / "data" / "template.py")
load("llamafactory.data.processor.processor_utils", LF / "data" / "processor" / "processor_utils.py")
supervised = load("llamafactory.data.processor.supervised", LF / "data" / "processor" / "supervised.py")

BOS, EOS = ("bos",), ("eos",)


class RecordingTokenizer:
    bos_token_id, eos_token_id, pad_token_id = BOS, EOS, EOS
    bos_token, eos_token = "<bos>", "<eos>"

    def encode(self, text, add_special_tokens=False):
        return [("text", text)]

    def convert_tokens_to_ids(self, token):
        return ("token", token)


TOK = RecordingTokenizer()


def piece(token_id):
    kind = token_id[0]
    if kind == "text":
        return token_id[1]
    if kind == "token":
        return {"token": token_id[1]}
    return {"special": kind}


def label(token_id, lab):
    if lab == -100:
        return "masked"
    return "trained" if lab == token_id else "eos"


def run(fn):
    try:
        return fn()
    except Exception as e:  # LF raising on the record is part of what the fixture records
        return {"raises": type(e).__name__, "message": str(e)[:200]}


def tmpl_for(name, **switches):
    import copy

    t = copy.copy(template_mod.TEMPLATES[name])
    if isinstance(t, template_mod.ReasoningTemplate):
        t.enable_thinking = switches.get("enable_thinking", True)
        t.preserve_thinking = False
    return t


def supervised_case(t, messages, system, tools, mask_history=False, train_on_prompt=False):
    args = types.SimpleNamespace(mask_history=mask_history, train_on_prompt=train_on_prompt, cutoff_len=10**9)
    proc = supervised.SupervisedDatasetProcessor(template=t, tokenizer=TOK, processor=None, data_args=args)

    def go():
        ids, labels = proc._encode_data_example(messages[:-1], messages[-1:], system, tools, [], [], [])
        return [[piece(i), label(i, lab)] for i, lab in zip(ids, labels)]

    return run(go)


def render_case(t, messages, system, tools):
    return run(lambda: [[piece(i) for i in ids] for ids in t._encode(TOK, messages, system, tools)])


def oneturn_case(t, messages, system, tools):
    def go():
        prompt, response = t.encode_oneturn(TOK, messages, system, tools)
        return {"prompt": [piece(i) for i in prompt], "response": [piece(i) for i in response]}

    return run(go)


TOOLS = json.dumps(
    [
        {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name"},
                    "unit": {"type": "string", "enum": ["c", "f"]},
                    "days": {"type": "array", "items": {"type": "integer"}},
                },
                "required": ["city"],
            },
        }
    ],
    ensure_ascii=False,
)
CALL = '{"name": "get_weather", "arguments": {"city": "Paris", "scale": 1.0, "eps": 1e-07, "big": 12345678901234567890, "z": 2, "1": "一"}}'


def user(c):
    return {"role": "user", "content": c}


def assistant(c):
    return {"role": "assistant", "content": c}


def cases_for(name):
    t = template_mod.TEMPLATES[name]
    tw0, tw1 = t.thought_words
    cw0, cw1 = t.tool_call_words
    reasoning = isinstance(t, template_mod.ReasoningTemplate)
    out = [
        {"case": "system", "system": "You are terse.", "tools": "", "messages": [user("Hi"), assistant("Hello!")]},
        {"case": "default_system", "system": "", "tools": "", "messages": [user("Hi {{idx}}"), assistant("Hello!")]},
        {
            "case": "multi_turn",
            "system": "",
            "tools": "",
            "messages": [user("What is 2+2?"), assistant("4"), user("And 3+3?"), assistant("6")],
            "mask_history": True,
            "train_on_prompt": True,
        },
        {
            "case": "tool_call",
            "system": "",
            "tools": TOOLS,
            "messages": [
                user("Weather in Paris?"),
                {"role": "function", "content": CALL},
                {"role": "observation", "content": '{"temp": 21.5}'},
                assistant("It is 21.5 degrees."),
            ],
        },
        {
            "case": "tool_call_words_repeated",
            "system": "S",
            "tools": TOOLS,
            "messages": [user("Weather?"), {"role": "function", "content": f"Let me look.{cw0}{CALL}{cw1}{cw0}{CALL}{cw1}"}],
        },
        {
            "case": "thought_repeated_in_function",
            "system": "",
            "tools": "",
            "messages": [user("Weather?"), {"role": "function", "content": f"{tw0}plan{tw1}{tw0}plan{tw1}{CALL}"}],
        },
        {
            "case": "bad_function_json",
            "system": "",
            "tools": "",
            "messages": [user("Weather?"), {"role": "function", "content": "not json"}],
        },
    ]
    if reasoning or name in THOUGHT_TEMPLATES:
        msgs = [user("Q1"), assistant(f"{tw0}think 1{tw1}A1"), user("Q2"), assistant("A2")]
        for et in (True, False, None):
            out.append({"case": f"reasoning_enable_thinking_{et}", "system": "", "tools": "", "messages": msgs, "enable_thinking": et, "mask_history": True})
    return out


THOUGHT_TEMPLATES = set()


def fixture(name):
    out = []
    for case in cases_for(name):
        t = tmpl_for(name, enable_thinking=case.get("enable_thinking", True))
        m, s, tl = case["messages"], case["system"], case["tools"]
        rec = {k: v for k, v in case.items()}
        rec["rendered"] = render_case(t, m, s, tl)
        rec["supervised"] = supervised_case(t, m, s, tl)
        if case.get("mask_history"):
            rec["supervised_mask_history"] = supervised_case(t, m, s, tl, mask_history=True)
        if case.get("train_on_prompt"):
            rec["supervised_train_on_prompt"] = supervised_case(t, m, s, tl, train_on_prompt=True)
        rec["oneturn"] = oneturn_case(t, m, s, tl)
        out.append(rec)
    return out


for n, tpl in template_mod.TEMPLATES.items():
    if tpl.thought_words != ("<think>\n", "\n</think>\n\n"):
        THOUGHT_TEMPLATES.add(n)


def parsed_templates(path):
    """parse_template on tokenizers that carry the chat templates of fixtures/lf/chat-templates.json."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    out = {}
    for case in json.load(open(path)):
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.globals["raise_exception"] = raise_exception
        compiled = env.from_string(case["chat_template"])

        class ChatTokenizer:
            chat_template = case["chat_template"]

            def encode(self, text, add_special_tokens=True):
                return [case["prefix"]] if text == "" else [text]

            def decode(self, ids):
                return "".join(ids)

            def apply_chat_template(self, messages, add_generation_prompt=False, tokenize=False):
                return compiled.render(messages=messages, add_generation_prompt=add_generation_prompt, **case["special_tokens"])

        t = template_mod.parse_template(ChatTokenizer())
        out[case["name"]] = {
            "class": type(t).__name__,
            "prefix": t.format_prefix.apply(),
            "system": t.format_system.slots,
            "user": t.format_user.slots,
            "assistant": t.format_assistant.slots,
            "default_system": t.default_system,
        }
    return out


# One template per line, so a diff after an LF update shows which templates changed.
templates = [(name, fixture(name)) for name in template_mod.TEMPLATES]
head = {"generated_by": "scripts/lf-fixtures.py (LF's own template code, recording tokenizer)", "date": "%04d-%02d-%02d" % FIXED_DATE}
head["parsed"] = parsed_templates(Path(__file__).resolve().parent.parent / "fixtures" / "lf" / "chat-templates.json")
sys.stdout.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "templates": {\n')
for i, (name, cases) in enumerate(templates):
    end = ",\n" if i < len(templates) - 1 else "\n"
    sys.stdout.write(json.dumps(name) + ": " + json.dumps(cases, ensure_ascii=False, separators=(",", ":")) + end)
sys.stdout.write("}}\n")
