"""The words on the bot's buttons, declared once, and how a text message that repeats one is recognised.

People type what they see: after an old keyboard has gone, or on a client that shows buttons as text,
"填写完毕" or "跳过" arrives as a message. At a step that takes text as material it would be stored as a
problem or a name. Every fixed label is declared here, the flows build their buttons from ``Label``,
and ``typed`` says whether a message is nothing but one of them; one that only adds a number
(处理建议（3）, “2 采纳”) is declared with "{}" for it. Labels made from data (an item's opening words,
a member's name, a year) are not declared: typing those is a genuine answer.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Label(StrEnum):
    """A button's text; ``encode`` in ``bot.callbacks`` gives it its action."""

    # Drafting: the steps, the item menu, the summary and the full text.
    START = "开始写材料"
    RESUME = "继续填写"
    NEW = "新建材料"
    MY_DRAFTS = "我的材料"
    BACK = "上一步"
    PASTE_ASPECTS = "粘贴本地通知中的方面"
    NO_DATE = "暂不确定"
    SKIP = "跳过"
    EDIT_SIGNATURE = "修改署名"
    NAME_IS_UNIT = "改作单位名称"
    SIGNATURE_FROM_UNIT = "改回按单位生成的署名"
    FINISH_ASPECT = "本方面填写完毕"
    FINISH_PART = "本部分填写完毕"
    UNDO_LAST = "撤销最后一条"
    MANAGE = "修改条目"
    KEEP = "保持不变，下一步"
    EXAMPLE = "看示例"
    SKIP_PART = "跳过本部分"
    CLEAR_PART = "删去本部分内容"
    BACK_TO_WRITING = "返回继续填写"
    BACK_TO_LIST = "返回列表"
    OPEN_DEADLINES = "查看整改事项"
    # One item's menu (修改条目 → an item).
    ITEM_EDIT = "修改"
    ITEM_INSERT = "在此后插入"
    ITEM_UP = "上移"
    ITEM_DOWN = "下移"
    ITEM_MOVE = "移到另一方面"
    ITEM_TO_PART = "移到另一部分"
    ITEM_TO_LEAD = "改为开头一段"
    LEAD_TO_ITEM = "改为条目"
    ITEM_DELETE = "删除"
    RESTORE_LEAD = "恢复原来的开头一段"
    JOIN_PREVIOUS = "接到上一部分末尾"
    CANCEL = "取消"
    LATER = "稍后再设"
    SET_DEADLINES = "设定整改时限"
    SUMMARY = "查看全文概览"
    BACK_TO_SUMMARY = "返回全文概览"
    GENERATE_WORD = "生成Word文档"
    FULL_TEXT = "查看全文"
    EDIT_PART = "修改某一部分"
    PREVIOUS_PAGE = "上一页"
    NEXT_PAGE = "下一页"
    # The file and the review.
    FORMAT_WORD = "Word（公文格式）"
    FORMAT_PDF = "PDF"
    FORMAT_MD = "Markdown"
    FORMAT_TXT = "纯文本"
    FIRST_PAGE = "第1页预览图"
    ALL_PAGES = "全部页面图片"
    FIX_FIRST = "先去修改"
    GENERATE_ANYWAY = "仍然生成"
    IMPORT = "导入为新材料，继续修改"
    REFORMAT = "规范排版（生成Word）"
    FILL_FROM_PASTE = "按这段内容分到各部分"
    REVIEW_PASTE = "审核这篇材料"
    KEEP_AS_PREAMBLE = "作为导语保存"
    DELETE_CONFIRM = "确认删除"
    # Measures and their reminders.
    DONE = "已完成"
    SIGN_OFF = "销号"
    PROGRESS = "报告进展"
    POSTPONE = "申请延期"
    SET_DEADLINE = "设定时限"
    RECTIFY_REPORT = "生成整改落实情况报告"
    OWNER_FOLLOWS = "改由起草人跟进"
    LINKS_CONFIRM = "确认对应"
    LINKS_EDIT = "调整对应"
    LINKS_VIEW = "查看问题与措施的对应"
    LEDGER_AGAIN = "重新导出整改台账"
    REPORT_AGAIN = "重新生成整改落实情况报告"
    REPORT_REPLACE = "重新生成，替换原报告"
    REPORT_KEEP = "打开原报告"
    FINISHED = "完成"
    # Privacy.
    FORGET_CONFIRM = "确认全部删除"
    KEEP_DATA = "保留"
    # A team draft.
    BACK_TO_TEAM = "返回班子材料"
    BACK_TO_OWN = "返回我的个人材料"
    INVITE_MEMBER = "邀请班子成员"
    INVITE_APPROVER = "邀请审定人"
    REVOKE_INVITES = "撤销全部邀请链接"
    JOIN_MEMBER = "接受：以班子成员身份参与"
    JOIN_APPROVER = "接受：以审定人身份参与"
    JOIN_WITH_STATUS = "接受，并同意显示我个人材料的进度"
    SKIP_TO_TEAM = "跳过，打开班子材料"
    MEMBERS = "成员管理"
    BACK_TO_MEMBERS = "返回成员管理"
    REMOVE = "移出"
    HAND_OVER = "转交起草人"
    HAND_OVER_CONFIRM = "确认转交"
    LEAVE = "退出这份班子材料"
    LEAVE_CONFIRM = "确认退出"
    MEMBER_STATUS = "成员个人材料进度"
    OPEN_ASPECTS = "向成员开放的方面"
    OTHER_ASPECT = "选择其他方面"
    MY_PROPOSALS = "我的建议及处理结果"
    OPINIONS = "录入征求意见"
    SORT_CONFIRM = "确认归类"
    ACCEPT_EDITED = "修改后采纳"
    MERGE = "合并"
    DECLINE = "不采纳"
    BACK_TO_PROBLEMS = "返回问题列表"
    RETURN = "返回"
    HAND_IN = "报送审定"
    HAND_IN_AGAIN = "再次报送审定"
    HISTORY = "报送记录"
    NOTES = "查看批注"
    READ_AND_COMMENT = "阅读并批注"
    APPROVE = "审定通过"
    COMMENT_AT = "批注"  # its buttons name the item's place: 批注：二（一）一是
    SEND_BACK = "退回修改"
    # The desk.
    DESK = "查看审核台"
    BACK_TO_BATCH = "返回批次"
    BACK_TO_MATERIAL = "返回材料"
    BACK_TO_EDITING = "返回填写"
    GO_TO_PLACE = "去修改"
    DUPLICATES = "雷同比对"
    EXPORT_EXCEL = "导出Excel"
    APPROVED_WORD = "已通过材料（Word）"
    SHARE_LINK = "分享链接"
    CHANGE_DUE = "更改截止日期"
    CLOSE_BATCH = "关闭批次（停止收取）"
    REOPEN_BATCH = "重新开放批次"
    OWN_ASPECTS = "按各材料列出的方面审核"
    HAND_IN_MATERIAL = "提交材料"
    HAND_IN_UPLOAD = "提交到审核批次"  # its buttons add the batch: 提交到审核批次：县财政局党组
    MY_SUBMISSIONS = "查看我的提交"
    RESUBMIT = "重新提交"
    FIX_BY_NOTES = "按批注修改"
    VIEW = "查看"
    REVIEW = "审阅"
    COMMENT_ITEMS = "对条目写批注"
    COMMENT_WHOLE = "写总体意见"
    COMMENT_MORE = "继续批注"
    PASS = "审核通过"
    RETURN_WITHOUT_REASON = "不写原因，直接退回"
    ORIGINAL = "Word原文"
    # Buttons that carry a number ("{}", filled with ``format``): typed with any number, the label.
    MORE_FINDINGS = "更多（还有{}条）"
    NEXT_DISMISSIBLE = "下一页（另有{}条可忽略）"
    OPEN_NTH = "{}. 打开"
    DELETE_NTH = "{}. 删除"
    HANDLE_NTH = "{}. 办理"
    SIGN_OFF_NTH = "{}. 销号"
    PROPOSALS = "处理建议（{}）"
    SORT_PENDING = "确认意见归类（{}）"
    ADJUST_NTH = "调整第{}条"
    ACCEPT_NTH = "{} 采纳"
    READ_VERSION = "审阅第{}版"
    NUDGE_MISSING = "提醒未提交的{}人"
    ITEM_SPLIT = "拆为{}条"  # an item holding points its markers begin (``splitter.held_points``)


_DONE_WITH_THE_LIST = (
    *("好了", "写好了", "写完了", "填好了", "填完了", "完毕", "就这些"),
    *("本方面写完了", "这个方面写完了", "本部分写完了", "这部分写完了"),
    *("下一个", "下一项", "下一步", "下一方面", "下一部分"),
)
"""What a phone user types when a list is done: never a problem or a measure of its own."""

SHORT_FORMS: dict[str, Label] = {
    "填写完毕": Label.FINISH_PART,
    **dict.fromkeys(_DONE_WITH_THE_LIST, Label.FINISH_PART),
    "撤销上一条": Label.UNDO_LAST,
    "撤销": Label.UNDO_LAST,
    "接受": Label.JOIN_MEMBER,
    "示例": Label.EXAMPLE,
    "参考写法": Label.EXAMPLE,
}
"""What people type for a label they half remember, read as that label."""


_NUMBER = re.compile(r"\d+")


def _bare(text: str) -> str:
    """The text without spaces, punctuation or symbols (quotes, brackets, emoji), Latin folded, and
    every number (a template's "{}" too) read as 0: “处理建议（3）” is 处理建议（{}）."""
    kept = "".join(ch for ch in text.replace("{}", "0") if unicodedata.category(ch)[0] not in "PSZC")
    return _NUMBER.sub("0", kept.casefold())


_KNOWN: dict[str, Label] = {_bare(label): label for label in Label} | {
    _bare(short): label for short, label in SHORT_FORMS.items()
}


NAMED: frozenset[Label] = frozenset({Label.HAND_IN_UPLOAD, Label.COMMENT_AT})
"""Labels whose buttons name what they act on after a colon (``提交到审核批次：县财政局党组``,
``批注：二（一）一是``)."""


def typed(text: str) -> Label | None:
    """The label a message repeats and nothing else (“填写完毕。”, " 跳过 "), or ``None``; a label
    of ``NAMED`` also with a colon and any name after it, as its buttons read.

    Only the whole message counts: a sentence that merely contains a label is an answer.
    """
    if len(text) > 40:
        return None
    head, colon, _ = text.replace(":", "：").partition("：")
    named = _KNOWN.get(_bare(head)) if colon else None
    return named if named in NAMED else _KNOWN.get(_bare(text))
