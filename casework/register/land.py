"""The land a register row names, and the council's assets already known by UPRN and Land Registry title
number, so that a row about land the council holds reuses its asset rather than making a second one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import assets
from casework.assets import AssetDetails
from casework.models import Asset, Council
from casework.register.import_row import ImportRow


def asset_details(row: ImportRow) -> AssetDetails:
    """The land a row names, as the asset services take it."""
    return AssetDetails(
        name=row.name,
        address=row.address,
        uprn=row.uprn,
        title_numbers=row.title_numbers,
        point=row.point,
        boundary=row.boundary,
        description=row.description,
    )


def keys_of(asset: Asset) -> set[str]:
    """What identifies an asset's land, in the words ImportRow.land_keys uses for a row's."""
    keys = {f"UPRN {asset.uprn}"} if asset.uprn else set()
    return keys | {f"title {title}" for title in asset.title_numbers}


class Land:
    """The council's assets by UPRN and title number, so a row about land already known reuses its asset."""

    def __init__(self, session: Session, council: Council) -> None:
        self.session, self.council = session, council
        self.by_key: dict[str, Asset] = {}
        for asset in session.scalars(select(Asset).where(Asset.council_id == council.id)):
            for key in keys_of(asset):
                self.by_key.setdefault(key, asset)

    def match(self, row: ImportRow) -> tuple[Asset, str] | None:
        for key in sorted(row.land_keys()):
            if key in self.by_key:
                return self.by_key[key], key
        return None

    def asset_for(self, row: ImportRow, now: datetime) -> Asset:
        found = self.match(row)
        if found is not None:
            return found[0]
        asset = assets.create_asset(self.session, self.council, assets.checked_asset(asset_details(row)), now)
        for key in keys_of(asset):
            self.by_key.setdefault(key, asset)
        return asset
