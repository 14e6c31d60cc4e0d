"""One visitor's browser tab, spoken over Streamlit's WebSocket protocol (no browser).

The handshake is the frontend's: the page, then ``/_stcore/health`` (which sets the
``_streamlit_xsrf`` cookie) and ``/_stcore/host-config``, then the WebSocket
``/_stcore/stream`` with the subprotocols ``streamlit, <xsrf token>``, the cookies and the
page's origin. A rerun is a ``BackMsg.rerun_script`` (the protobufs shipped in the installed
streamlit package) with the query string, the page name, the state of every widget of the
last run and the hashes of the cached messages, as the browser sends them; a run has
ended at ``script_finished``. Messages the client has cached come back as ``ref_hash``.

The actions find their widgets in the deltas of the last run, never by a guessed id: the
multi-select pills are the member pickers (the search by name while every region is
folded), the single-select control whose options are the framings is the framing.
``benchmarks/load.py`` runs many visitors with Locust; gevent must patch the standard
library before this module is imported.
"""

from __future__ import annotations

import http.cookiejar
import random
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import gevent
import gevent.queue
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ButtonGroup_pb2 import ButtonGroup
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

__all__ = ["ACTIONS", "ActionFailed", "Run", "Session", "shared_link"]

BUILD_LINK = "/?members=quad&framing=alliance&year=2024"
#: The build page's search by name, and how it marks a member in its list.
FIND_LABEL, MEMBER_MARK = "Find a country", "a member: pick to remove"
#: The states a spreading link's grouping is drawn from (three to five of them), so most
#: links name a grouping nobody has opened yet: the cost of a link that spreads.
LINK_STATES = (
    "USA",
    "JPN",
    "KOR",
    "AUS",
    "NZL",
    "PHL",
    "IND",
    "IDN",
    "VNM",
    "SGP",
    "GBR",
    "FRA",
    "DEU",
    "ITA",
    "CAN",
    "POL",
    "TWN",
    "THA",
    "MYS",
    "NLD",
)
COMPARE_LINK = "/compare?s1=quad&s2=squad"
FRAMINGS = ("alliance", "dialogue", "economic")  # model.schema.FRAMINGS, the framing options
XSRF_COOKIE = "_streamlit_xsrf"
MAX_CACHED = 500  # cached messages kept per visitor (the browser also bounds its cache)


class ActionFailed(Exception):
    """An action that ran but did not end as a person would see it succeed."""


@dataclass
class Widget:
    id: str
    kind: str  # the Element field: button_group, slider, ...
    proto: object


@dataclass
class Run:
    """What one script run sent back."""

    ms: float = 0.0
    status: str = ""
    exceptions: list[str] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    page_not_found: bool = False
    bytes: int = 0


def widget_state(w: Widget) -> WidgetState | None:
    """The state the browser holds for a widget as last drawn (None: not one we track)."""
    p, ws = w.proto, WidgetState(id=w.id)
    if w.kind == "button_group":
        value = p.raw_values if p.set_value else [p.options[i].content for i in p.default]
        ws.string_array_value.data.extend(value)
    elif w.kind == "multiselect":
        value = p.raw_values if p.set_value else [p.options[i] for i in p.default]
        ws.string_array_value.data.extend(value)
    elif w.kind == "selectbox":
        if p.set_value:
            ws.string_value = p.raw_value
        elif p.HasField("default") and p.default < len(p.options):
            ws.string_value = p.options[p.default]
        else:
            return None
    elif w.kind == "slider":
        ws.double_array_value.data.extend(p.value if p.set_value else p.default)
    elif w.kind == "number_input":
        ws.double_value = p.value if p.set_value else p.default
    elif w.kind == "checkbox":
        ws.bool_value = p.value if p.set_value else p.default
    else:
        return None
    return ws


class Session:
    """One browser tab's connection: cookies, the WebSocket and the page it shows."""

    def __init__(self, base_url: str, timeout: float) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.inbox: gevent.queue.Queue = gevent.queue.Queue()
        self.cache: dict[str, ForwardMsg] = {}
        self.widgets: list[Widget] = []
        self.query_string = ""
        self.ws: websocket.WebSocket | None = None
        self.reader: gevent.Greenlet | None = None
        self.broken = False  # the connection is gone: a new tab is needed

    def connect(self, path: str) -> None:
        """Load the page, then the pings the frontend makes, then open the WebSocket."""
        for p in (path, "/_stcore/health", "/_stcore/host-config"):
            with self.opener.open(self.base + p, timeout=self.timeout) as r:
                r.read()
        cookies = {c.name: c.value for c in self.cookies}
        token = cookies.get(XSRF_COOKIE, "PLACEHOLDER_AUTH_TOKEN")
        self.ws = websocket.create_connection(
            self.base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit", token],
            origin=self.base,
            cookie="; ".join(f"{k}={v}" for k, v in cookies.items()),
            timeout=self.timeout,
        )
        self.ws.settimeout(None)  # the reader waits as long as the tab stays open
        self.reader = gevent.spawn(self._read)

    def _read(self) -> None:
        try:
            while True:
                data = self.ws.recv()
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self.inbox.put((msg, len(data)))
        except Exception as exc:  # closed by us or by the server
            self.inbox.put((exc, 0))

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.reader is not None:
            self.reader.kill(block=False)

    def rerun(self, query_string: str, page_name: str = "", widgets: list | None = None) -> Run:
        """Send one rerun request and read until the run has finished."""
        while not self.inbox.empty():  # anything left from before belongs to no action
            self._take(self.inbox.get_nowait()[0], Run())
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = query_string
        rs.page_name = page_name
        rs.widget_states.widgets.extend(widgets or [])
        rs.cached_message_hashes.extend(self.cache)
        run = Run()
        t0 = time.perf_counter()
        self.ws.send_binary(msg.SerializeToString())
        self.widgets = []  # like the browser, keep only the widgets this run draws
        deadline = t0 + self.timeout
        while not run.status:
            try:
                item, size = self.inbox.get(timeout=max(0.0, deadline - time.perf_counter()))
            except gevent.queue.Empty:
                self.broken = True  # a late end of run would be taken for the next one's
                raise ActionFailed(f"no end of run within {self.timeout:g} s") from None
            if isinstance(item, Exception):
                self.broken = True
                raise ActionFailed(f"connection lost: {type(item).__name__}")
            run.bytes += size
            self._take(item, run)
        run.ms = (time.perf_counter() - t0) * 1000
        return run

    def _take(self, msg: ForwardMsg, run: Run) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            msg, kind = self.cache.get(msg.ref_hash), "delta"
            if msg is None:
                run.exceptions.append("a cached message the client never had")
                return
        elif msg.metadata.cacheable and msg.hash:
            if len(self.cache) >= MAX_CACHED:
                self.cache.pop(next(iter(self.cache)))
            self.cache[msg.hash] = msg
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            name = element.WhichOneof("type")
            if name == "exception":
                run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            elif getattr(getattr(element, name), "id", ""):
                self.widgets.append(Widget(getattr(element, name).id, name, getattr(element, name)))
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            run.page_not_found = True
        elif kind == "script_finished":
            run.status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)

    def states(self, changed: WidgetState | None = None) -> list[WidgetState]:
        """Every tracked widget's state, with one of them changed, as the browser sends."""
        out = [s for w in self.widgets if (s := widget_state(w)) is not None]
        if changed is not None:
            out = [changed if s.id == changed.id else s for s in out]
        return out


def check(run: Run) -> Run:
    if run.exceptions:
        raise ActionFailed("exception shown: " + run.exceptions[0][:120])
    if run.page_not_found:
        raise ActionFailed("page not found")
    if run.status != "FINISHED_SUCCESSFULLY":
        raise ActionFailed(f"run ended {run.status}")
    return run


def _pills(s: Session, multi: bool) -> list[Widget]:
    mode = ButtonGroup.MULTI_SELECT if multi else ButtonGroup.SINGLE_SELECT
    return [w for w in s.widgets if w.kind == "button_group" and w.proto.click_mode == mode]


def toggle_member(s: Session) -> Run:
    """Add one member, picked at random among those not yet picked, from the member pickers
    of an open region or, with every region folded (as a page opens), from the search by
    name: one click either way, as a visitor adds one."""
    choices = []
    for w in _pills(s, multi=True):
        picked = list(widget_state(w).string_array_value.data)
        choices += [(w, picked, o.content) for o in w.proto.options if o.content not in picked]
    if choices:
        w, picked, extra = random.choice(choices)
        changed = WidgetState(id=w.id)
        changed.string_array_value.data.extend([*picked, extra])
        return _change(s, changed)
    for w in s.widgets:
        if w.kind == "selectbox" and w.proto.label.startswith(FIND_LABEL):
            others = [o for o in w.proto.options if MEMBER_MARK not in o]
            if others:
                changed = WidgetState(id=w.id)
                changed.string_value = random.choice(others)
                return _change(s, changed)
    raise ActionFailed("no member picker on the page")


def change_framing(s: Session) -> Run:
    """Pick the next framing in the framing control."""
    for w in _pills(s, multi=False):
        options = [o.content for o in w.proto.options]
        if [o.lower() for o in options] == list(FRAMINGS):
            now = list(widget_state(w).string_array_value.data)
            nxt = options[(options.index(now[0]) + 1) % len(options)] if now else options[0]
            changed = WidgetState(id=w.id)
            changed.string_array_value.data.append(nxt)
            return _change(s, changed)
    raise ActionFailed("no framing control on the page")


def _change(s: Session, changed: WidgetState) -> Run:
    before = s.query_string
    run = check(s.rerun(s.query_string, "", s.states(changed)))
    if s.query_string == before:
        raise ActionFailed("the widget change left the link unchanged")
    return run


def open_link(s: Session, link: str) -> Run:
    """Open a link in the tab's app: the page named by its path, with its query string."""
    parts = urlsplit(link)
    return check(s.rerun(parts.query, parts.path.strip("/")))


def shared_link() -> str:
    """A Build link to a grouping of three to five states drawn at random, in a framing
    drawn at random."""
    members = ",".join(sorted(random.sample(LINK_STATES, random.randint(3, 5))))
    return f"/?members={members}&framing={random.choice(FRAMINGS)}&year=2024"


ACTIONS = {
    "open build": lambda s: open_link(s, BUILD_LINK),
    "toggle member": toggle_member,
    "change framing": change_framing,
    "open compare": lambda s: open_link(s, COMPARE_LINK),
}
