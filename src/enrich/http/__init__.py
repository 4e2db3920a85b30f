"""The one HTTP layer every source uses: cache, rate limits, retries, circuit breaker.

client = HttpClient(HttpConfig.from_env())
reply = client.get_json("dblp", "https://dblp.org/search/publ/api", {"q": q, "format": "json"},
                        expect=Expect(shape=what_is_wrong_with_a_search_answer))
"""

from .answers import Expect
from .client import HttpClient, JsonReply, TextReply
from .config import HttpConfig
from .errors import CacheUnusable, NotCached, ServiceError, ServiceUnreachable
from .stats import HttpStats

__all__ = [
    "CacheUnusable",
    "Expect",
    "HttpClient",
    "HttpConfig",
    "HttpStats",
    "JsonReply",
    "NotCached",
    "ServiceError",
    "ServiceUnreachable",
    "TextReply",
]
