"""The models of `content`, re-exported: callers write `from content.models import ServicePage`.

The modules are layered, each importing only those before it: `pages` (what the public may read),
`images`, `taxonomy`, `settings`, `staff`; `services` (a guide and its parts); `halls` (halls, their
windows, and which window takes an item); then `content.facet_index` and `content.filters`, built on
those; and last the pages people browse through, `browse` (catalog, list of halls) and `home`.
"""

from .banner import BannerLevel, SiteBanner
from .browse import CatalogPage, HallIndexPage
from .halls import HallLevel, HallPage, HallWindow, HallWindows
from .home import HomePage, HomePopularItem
from .images import PortalImage, PortalRendition
from .pages import readable
from .services import (
    AUDIENCES,
    DELIVERY_METHODS,
    FAQ,
    HALL_ROLES,
    WINDOW_POWERS,
    GuideChange,
    Handling,
    ItemType,
    LegalBasis,
    LimitUnit,
    Material,
    MaterialForm,
    MaterialMedium,
    ProcessStep,
    Scope,
    ServiceFee,
    ServiceHall,
    ServicePage,
    ServiceStatus,
    SpecialKind,
    SpecialProcedure,
    necessity_of,
    status_in_force,
)
from .settings import PortalSettings
from .staff import StaffMember
from .taxonomy import Department, Topic

__all__ = [
    "AUDIENCES",
    "DELIVERY_METHODS",
    "FAQ",
    "HALL_ROLES",
    "WINDOW_POWERS",
    "BannerLevel",
    "GuideChange",
    "Scope",
    "ServiceStatus",
    "SiteBanner",
    "SpecialKind",
    "SpecialProcedure",
    "CatalogPage",
    "Department",
    "HallIndexPage",
    "HallLevel",
    "HallPage",
    "HallWindow",
    "HallWindows",
    "Handling",
    "HomePage",
    "HomePopularItem",
    "ItemType",
    "LegalBasis",
    "LimitUnit",
    "Material",
    "MaterialForm",
    "MaterialMedium",
    "PortalImage",
    "PortalRendition",
    "PortalSettings",
    "ProcessStep",
    "ServiceFee",
    "ServiceHall",
    "ServicePage",
    "StaffMember",
    "Topic",
    "necessity_of",
    "readable",
    "status_in_force",
]
