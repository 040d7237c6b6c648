"""The demo township (耒阳市三都镇): its catalog, staff photos and forms, and `manage.py load_demo`, which
`./yimen start` runs to fill an empty portal. Production installs may leave it in: it only adds the command."""
