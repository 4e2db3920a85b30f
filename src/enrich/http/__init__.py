"""The one HTTP layer every source uses: cache, rate limits, retries, circuit breaker.

client = HttpClient(HttpConfig.from_env())
reply = client.get_json("dblp", "https://dblp.org/search/publ/api", {"q": q, "format": "json"})
"""

from .client import HttpClient, JsonReply, TextReply
from .config import HttpConfig
from .errors import NotCached, ServiceError, ServiceUnreachable
from .stats import HttpStats

__all__ = [
    "HttpClient",
    "HttpConfig",
    "HttpStats",
    "JsonReply",
    "NotCached",
    "ServiceError",
    "ServiceUnreachable",
    "TextReply",
]
