"""Messages of the reply check: what is missing or wrong, with an example of a good sentence.

Each message is translated when the check runs, so it comes out in the language active then.
"""

from django.utils.translation import gettext

# The document named in the example of a policy exemption prefix.
EXAMPLE_DOCUMENT = "《城市供水条例》"


def missing_contact() -> str:
    return gettext(
        "The reply does not say whether the citizen was contacted or the site was checked. "
        "Example: 12月3日9时我部工作人员与用户电话联系，并到现场查看。"
    )


def missing_cause() -> str:
    return gettext(
        "The reply does not state the cause of the problem. "
        "Example: 经现场检查，停水系表前阀门老化漏水所致。"
    )


def missing_measures() -> str:
    return gettext(
        "The reply does not state the measures taken. "
        "Example: 已关阀更换表前阀门，并对管道进行冲洗。"
    )


def missing_result() -> str:
    return gettext(
        "The reply does not state the result of the handling. "
        "Example: 12月3日11时恢复供水，现场无渗漏。"
    )


def missing_acceptance() -> str:
    return gettext(
        "The reply does not say whether the citizen accepts the result. "
        "Example: 用户对处理结果表示满意。"
    )


def vague_only(phrase: str) -> str:
    return gettext(
        "The reply consists only of a vague phrase such as “%(phrase)s”. State the contact or "
        "site check, the cause, the measures and the result. Example: "
        "12月3日我部人员到现场查看，发现表前阀门老化漏水，已更换阀门，恢复供水。"
    ) % {"phrase": phrase}


def unverified_excuse(phrase: str) -> str:
    return gettext(
        "“%(phrase)s” is given as a reason without saying how it was verified. State the check, "
        "for example: 经调阅工程档案并现场核对，该小区管网至今未验收。"
    ) % {"phrase": phrase}


def vague_call_attempts(phrase: str) -> str:
    return gettext(
        "“%(phrase)s” does not record each call. Write the date and hour of every call, for "
        "example: 12月3日9时、12月3日15时两次拨打用户电话均无人接听。"
    ) % {"phrase": phrase}


def call_attempt_without_time(phrase: str) -> str:
    return gettext(
        "The unanswered call “%(phrase)s” is recorded without its date and hour. "
        "Example: 12月3日9时拨打用户电话无人接听。"
    ) % {"phrase": phrase}


def call_attempts_partly_timed(phrase: str, expected: int, timed: int) -> str:
    return gettext(
        "“%(phrase)s” counts %(expected)d calls but gives the date and hour of %(timed)d. "
        "Write each call's date and hour, for example: "
        "12月3日9时、12月3日15时两次拨打用户电话均无人接听。"
    ) % {"phrase": phrase, "expected": expected, "timed": timed}


def no_contact_without_site_check() -> str:
    return gettext(
        "The citizen left no contact, so the reply must describe the check of the given address "
        "and its surroundings. Example: 来电人未留联系方式，12月3日10时我部人员到该地址现场查看，"
        "并走访周边住户。"
    )


def copied_reply(order_number: str, similarity: float) -> str:
    values = {"order": order_number, "similarity": round(similarity * 100)}
    if order_number:
        return (
            gettext(
                "The reply repeats the reply to order %(order)s (%(similarity)d%% similar). "
                "Contact the citizen again and write what was found and done this time. Example: "
                "12月2日我部再次与用户电话联系并到现场复查，发现……，已……。"
            )
            % values
        )
    return (
        gettext(
            "The reply repeats an earlier reply (%(similarity)d%% similar). Contact the citizen "
            "again and write what was found and done this time. Example: "
            "12月2日我部再次与用户电话联系并到现场复查，发现……，已……。"
        )
        % values
    )


def missing_earliest_order(order_number: str | None) -> str:
    if order_number:
        return gettext(
            "This request repeats an earlier one, but the reply does not cite the earliest "
            "order %(order)s. Example: 该问题用户最早于11月3日反映（工单号%(order)s），"
            "当时已更换表前阀门。"
        ) % {"order": order_number}
    return gettext(
        "This request repeats an earlier one, but the reply cites no order number. Cite the "
        "earliest order about the same problem, for example: "
        "该问题用户最早于11月3日反映（工单号GD202611030012），当时已更换表前阀门。"
    )


def exemption_prefix_form(prefix: str) -> str:
    return gettext(
        "The exemption prefix is not in the required form. Begin the reply with exactly: %(prefix)s"
    ) % {"prefix": prefix}


def exemption_prefix_document(prefix: str) -> str:
    return gettext(
        "The exemption prefix does not name the document. Begin the reply with: %(prefix)s"
    ) % {"prefix": prefix}


def exemption_prefix_document_unknown(placeholder: str, example: str) -> str:
    return gettext(
        "The exemption prefix does not name the document. Write the name of the law, policy or "
        "standard in place of %(placeholder)s, for example: %(example)s"
    ) % {"placeholder": placeholder, "example": example}


def exemption_prefix_position(prefix: str) -> str:
    return gettext(
        "The exemption prefix must stand at the very beginning of the reply: %(prefix)s"
    ) % {"prefix": prefix}


def exemption_prefix_kind(judicial: str, petition: str) -> str:
    return gettext(
        "The exemption prefix must name the channel that handles the request. Begin the reply "
        "with %(judicial)s or %(petition)s"
    ) % {"judicial": judicial, "petition": petition}


def redo_reasons_unanswered(reasons: str) -> str:
    return gettext(
        "The reply does not take up the redo reasons of the 12345 hotline (%(reasons)s). Answer "
        "them point by point, for example: 针对重办要求逐项答复如下：一、关于……"
    ) % {"reasons": reasons}
