# Membership moved here from `territories` (its 0001 no longer creates it). The tables keep
# their names. A database migrated before the move already has them: the state is declared
# here and the tables are created only where they are missing.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def create_missing_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in ("HistoricalMembership", "Membership"):
        model = apps.get_model("access", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('schools', '0002_initial'),
        ('territories', '0002_comune_search_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalMembership',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('role', models.CharField(choices=[('coordinator', 'Coordinatore regionale'), ('operator', 'Operatore di ambito'), ('school_referent', 'Referente scolastico')], max_length=20, verbose_name='ruolo')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('ambito', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territories.ambito', verbose_name='ambito')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('school', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='schools.school', verbose_name='scuola')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
                    ],
                    options={
                        'verbose_name': 'historical ruolo di un utente',
                        'verbose_name_plural': 'historical ruoli degli utenti',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'db_table': 'territories_historicalmembership',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('coordinator', 'Coordinatore regionale'), ('operator', 'Operatore di ambito'), ('school_referent', 'Referente scolastico')], max_length=20, verbose_name='ruolo')),
                        ('ambito', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='staff', to='territories.ambito', verbose_name='ambito')),
                        ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='referents', to='schools.school', verbose_name='scuola')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
                    ],
                    options={
                        'verbose_name': 'ruolo di un utente',
                        'db_table': 'territories_membership',
                        'verbose_name_plural': 'ruoli degli utenti',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('ambito__isnull', True), ('role', 'coordinator'), ('school__isnull', True)), models.Q(('ambito__isnull', False), ('role', 'operator'), ('school__isnull', True)), models.Q(('role', 'school_referent'), ('school__isnull', False)), _connector='OR'), name='membership_role_matches_scope'), models.UniqueConstraint(condition=models.Q(('role', 'coordinator')), fields=('user',), name='membership_unique_coordinator'), models.UniqueConstraint(condition=models.Q(('role', 'operator')), fields=('user', 'ambito'), name='membership_unique_operator'), models.UniqueConstraint(condition=models.Q(('role', 'school_referent')), fields=('user', 'school'), name='membership_unique_referent')],
                    },
                ),
            ],
        ),
        migrations.RunPython(create_missing_tables, migrations.RunPython.noop),
    ]
