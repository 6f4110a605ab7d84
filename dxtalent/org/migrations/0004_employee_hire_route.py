from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_orgunit_changed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="employee",
            name="hire_route",
            field=models.CharField(
                blank=True,
                db_default="",
                db_index=True,
                default="",
                help_text="ポリシーパックの採用経路コード（一般事務・デジタルコース・電気・庁内公募など）",
                max_length=30,
                verbose_name="採用区分・育成経路",
            ),
        ),
        migrations.AddField(
            model_name="historicalemployee",
            name="hire_route",
            field=models.CharField(
                blank=True,
                db_default="",
                db_index=True,
                default="",
                help_text="ポリシーパックの採用経路コード（一般事務・デジタルコース・電気・庁内公募など）",
                max_length=30,
                verbose_name="採用区分・育成経路",
            ),
        ),
    ]
