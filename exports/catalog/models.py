from django.db import models


class CatalogImportPermission(models.Model):
    """Holds the right to import a catalog from the admin (导入事项目录); it has no table and no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("import_catalog", "可以在管理后台导入事项目录")]
        verbose_name = "事项目录导入"

    def __str__(self):
        return str(self._meta.verbose_name)
