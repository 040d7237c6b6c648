from .halls import HallIndexPage, HallLevel, HallPage, HallWindow
from .home import HomePage, HomePopularItem
from .images import PortalImage, PortalRendition
from .pages import readable
from .services import (
    AUDIENCES,
    FAQ,
    CatalogPage,
    Handling,
    ItemType,
    LegalBasis,
    LimitUnit,
    Material,
    MaterialForm,
    MaterialMedium,
    ProcessStep,
    ServiceFee,
    ServiceHall,
    ServicePage,
)
from .settings import PortalSettings
from .staff import StaffMember
from .taxonomy import Department, Topic

__all__ = [
    "AUDIENCES",
    "FAQ",
    "CatalogPage",
    "Department",
    "HallIndexPage",
    "HallLevel",
    "HallPage",
    "HallWindow",
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
    "readable",
]
