"""Reload the reminder content (issue 11): example stories labelled as such, public health resources,
no warning signs restated. Items whose title changed are renamed in place first, so that the
deliveries pointing at them, and the rotation, carry on."""

from django.db import migrations

from tracker.seed import load_content, unload_content

RENAMED = {
    "Release first, then stretch": "Movement first, massage as an add-on",
    "Maria, shop assistant: relief that fits into a shift": "Example story: relief that fits into a shift in a shop",
    "Tom, warehouse worker: the tucked pelvis he never noticed": (
        "Example story: the tucked pelvis a warehouse worker never noticed"
    ),
    "Aisha, office worker: desk breaks that add up": "Example story: desk breaks that add up in an office",
    "David, retired: walking to the park again": "Example story: walking to the park again after retiring",
    "Lena, nurse: twelve-hour shifts and the QL": "Example story: twelve-hour nursing shifts and the QL",
    "Sam, runner: paying attention to the front of the hip": (
        "Example story: a runner pays attention to the front of the hip"
    ),
    "Go gently near the front of the hip": "The front of the hip is for stretching, not pressing",
}


def rename_then_load(apps, schema_editor):
    ContentItem = apps.get_model("tracker", "ContentItem")
    for old, new in RENAMED.items():
        if not ContentItem.objects.filter(title=new).exists():
            ContentItem.objects.filter(title=old).update(title=new)
    load_content(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_reminders_delivery_user_item"),
    ]

    operations = [
        migrations.RunPython(rename_then_load, unload_content),
    ]
