"""Write the summary templates of deadline warnings and breaches; edited texts are kept."""

from django.db import migrations

# (code, name, text), frozen here as they were when this migration was written.
SUMMARY_TEMPLATES = [
    (
        "deadline_warning_summary",
        "时限预警汇总",
        "时限预警：您有{count}张工单的时限即将到期，最早于{due}到期，包括{numbers}，"
        "请尽快登录工单系统办理。",
    ),
    (
        "deadline_breach_summary",
        "超时提醒汇总",
        "超时提醒：您有{count}张工单的时限已超时，最早于{due}超时，包括{numbers}，"
        "请立即登录工单系统办理，并在回复中说明超时原因。",
    ),
]


def add_summary_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for code, name, text in SUMMARY_TEMPLATES:
        MessageTemplate.objects.get_or_create(code=code, defaults={"name": name, "text": text})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_add_preset_templates"),
    ]

    operations = [
        migrations.RunPython(add_summary_templates, migrations.RunPython.noop),
    ]
