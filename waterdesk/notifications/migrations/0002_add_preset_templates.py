"""Write the preset message templates. Texts edited in the admin later are kept as they are."""

from django.db import migrations

# (code, name, text). Every text names the order and says what the recipient must do.
PRESET_TEMPLATES = [
    (
        "redo_created",
        "重办工单提醒",
        "重办工单提醒：12345热线转回的重办工单{number}已派发至{department}，处理时限{hours}小时。"
        "请督促逐条答复重办原因；重办工单不得退单，回复须经部门负责人、中心负责人审核后上报。",
    ),
    (
        "deadline_warning",
        "时限预警",
        "时限预警：工单{number}的{deadline}时限将于{due}到期，请尽快登录工单系统办理。",
    ),
    (
        "deadline_breach",
        "超时提醒",
        "超时提醒：工单{number}的{deadline}时限已于{due}超时，请立即办理，并在回复中说明超时原因。",
    ),
    (
        "approval_waiting",
        "待审批提醒",
        "待审批提醒：{department}提交的工单{number}{request}正等待您审批，请登录工单系统及时处理。",
    ),
    (
        "reply_rejected",
        "回复退回提醒",
        "回复退回提醒：工单{number}的回复未通过审核，已重新派发，请按审核意见于{due}前重新处理并回复。",
    ),
    (
        "reply_untrue",
        "回复不实提醒",
        "回复不实提醒：回访发现工单{number}的回复与用户反映不符，请核实情况，于{due}前重新处理并如实回复。",
    ),
]


def add_preset_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for code, name, text in PRESET_TEMPLATES:
        MessageTemplate.objects.get_or_create(code=code, defaults={"name": name, "text": text})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_create_outbox"),
    ]

    operations = [
        migrations.RunPython(add_preset_templates, migrations.RunPython.noop),
    ]
