from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0004_withdrawal_letters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="incomingmessage",
            name="kind",
            field=models.CharField(choices=[('reply', 'Reply'), ('auto_reply', 'Auto Reply'), ('out_of_office', 'Out Of Office'), ('bounce', 'Bounce'), ('delay', 'Delay'), ('malformed', 'Malformed'), ('own', 'Own')], default='reply', max_length=16),
        ),
    ]
