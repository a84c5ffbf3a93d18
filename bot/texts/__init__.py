"""Everything a citizen or an officer reads, in Bahasa Indonesia, by audience:

- ``citizen``: the chat with citizens (intake, receipt, status checks, ratings, refusals);
- ``officer``: what officers read (cases, their history, notices, their chat, refusals);
- ``public``: what anyone may read (dates, labels of statuses and of the ways to report);
- ``commands``: the command line and the terminal chat;
- ``followup``: what a citizen reads about their own case after filing it (why it is where
  it is, the auto-close, their rating in a status check, a place outside the region);
- ``support``: similar cases, supporters and merged duplicates (citizens and officers);
- ``report``: the recap book; ``integrations``: the REST API, API keys and Rasa;
- ``web``: the officers' web console and the public board (messages; the pages are templates);
- ``spam``: blocked chats, the day's limit, courteous language, copies of one text, ``aduan sender``.

Text only: constants, string templates and tables of labels. How they are filled in is
code, in ``bot/render`` and ``bot/notices.py``; tests/bot/test_texts.py keeps it so. Keep the
tone polite and plain (Anda, Bapak/Ibu). Reviewers change wording here only.

Every name is also ``texts.NAME`` (no name is defined twice; a test checks it).
"""

from .board import *  # noqa: F403
from .citizen import *  # noqa: F403
from .commands import *  # noqa: F403
from .dashboard import *  # noqa: F403
from .followup import *  # noqa: F403
from .integrations import *  # noqa: F403
from .officer import *  # noqa: F403
from .public import *  # noqa: F403
from .report import *  # noqa: F403
from .spam import *  # noqa: F403
from .support import *  # noqa: F403
from .web import *  # noqa: F403
