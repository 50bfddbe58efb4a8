"""One HTTP POST to a provider, with a timeout, and the transport failures sorted by outcome.

The sort decides whether a retry may send a message twice:
- urllib raises URLError when connecting or writing the request fails (refused, DNS, TLS,
  connect timeout). The provider never received a whole request, so nothing was sent.
- A timeout or a lost connection while waiting for the response comes after the whole request
  was written. The provider may have sent the message, so the outcome is unknown.
"""

import http.client
import urllib.error
import urllib.request

from .base import Outcome, ProviderError

# Provider responses are a few hundred bytes. Reading at most this much bounds a broken one.
MAX_RESPONSE_BYTES = 64 * 1024


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, provider: str
) -> tuple[int, bytes]:
    """POST `body` and return the HTTP status and response body, error statuses included.

    Raise ProviderError with Outcome.NOT_SENT when the request never reached the provider and
    Outcome.UNKNOWN when it did but no response came back.
    """
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(MAX_RESPONSE_BYTES)
    except urllib.error.URLError as error:
        raise ProviderError(
            f"{provider}: the request could not be sent to {url}: {error.reason}",
            Outcome.NOT_SENT,
        ) from error
    except TimeoutError as error:
        raise ProviderError(
            f"{provider}: timed out after {timeout} s waiting for the response from {url}; "
            "the message may have been sent",
            Outcome.UNKNOWN,
        ) from error
    except (OSError, http.client.HTTPException) as error:
        raise ProviderError(
            f"{provider}: the connection to {url} failed after sending the request ({error!r}); "
            "the message may have been sent",
            Outcome.UNKNOWN,
        ) from error


def server_error(status: int, provider: str, url: str) -> ProviderError:
    """Return the error for an HTTP 5xx response.

    A 504 comes from a gateway that gave up waiting for the provider, which may still have sent
    the message. Other 5xx responses come from the provider itself, which did not send it.
    """
    if status == 504:
        return ProviderError(
            f"{provider}: HTTP 504 from {url}; the message may have been sent",
            Outcome.UNKNOWN,
            code="HTTP504",
        )
    return ProviderError(
        f"{provider}: HTTP {status} from {url}", Outcome.NOT_SENT, code=f"HTTP{status}"
    )
