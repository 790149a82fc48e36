"""The languages gria-miro writes in, the ``--lang`` check, and the one table of fixed words (plan and roadmap).

Every renderer that speaks French or English looks its fixed texts up here with :func:`t`
(``WORDS`` maps a key to its French and English text), and every command that takes
``--lang`` checks it with :func:`parse_lang`, so ``plan --lang de`` and ``pull --lang de``
are refused with the same sentence. :func:`label` writes "Label :" with the no-break space French
puts before a colon (as the roadmap documents do), and "Label:" in English. Pure: no I/O.
"""

from __future__ import annotations

from typing import get_args

from gria_miro.errors import UserError
from gria_miro.formatting import Lang

LANGS: tuple[Lang, ...] = get_args(Lang)

#: Fixed words shared by the plan and the roadmap renderers: key → (French, English).
#: Renderers look their words up here rather than keeping their own dictionaries.
WORDS: dict[str, tuple[str, str]] = {
    # the push plan: why an item is in the plan (sync.planner.Note, by name in lower case)
    "note.new": ("nouveau", "new"),
    "note.adopted": (
        "retrouvé sur le tableau (état local absent ou périmé)",
        "found on the board (local state missing or stale)",
    ),
    "note.deck_changed": ("modifié dans le deck ou la disposition", "changed in the deck or layout"),
    "note.layout_moved": ("déplacé par la disposition", "moved by the layout"),
    "note.moved_by_participants": (
        "déplacé par les participants : laissé à sa place",
        "moved by participants: left where they put it",
    ),
    "note.edited_on_board": ("modifié sur le tableau", "edited on the board"),
    "note.deleted_on_board": ("supprimé sur le tableau par les participants", "deleted on the board by participants"),
    "note.restored": ("recréé (--restore)", "recreated (--restore)"),
    "note.removed_from_deck": ("retiré du deck ou de la disposition", "removed from the deck or layout"),
    "note.forced": ("écrasé (--force)", "overwritten (--force)"),
    "note.clean": ("créé par gria-miro", "created by gria-miro"),
    "note.uncertain": (
        "diffère du deck : modifié sur le tableau ou dans le deck ? impossible de trancher sans état",
        "differs from the deck: edited on the board or in the deck? without local state, cannot tell",
    ),
    "note.touched": ("touché par les participants", "touched by participants"),
    "note.manifest": ("manifeste du plateau", "board manifest"),
    # the plan summary (render/plan.py): what happens, zone by zone; nouns, so French needs no agreement
    "plan.create": ("à créer", "to create"),
    "plan.update": ("à modifier", "to update"),
    "plan.delete": ("à supprimer", "to delete"),
    "plan.keep": ("sans changement", "unchanged"),
    "plan.participants": ("les participants ont", "participants"),
    "plan.did_moved": ("déplacé", "moved"),
    "plan.did_edited": ("modifié", "edited"),
    "plan.did_deleted": ("supprimé", "deleted"),
    "plan.left_as_is": ("(laissé tel quel)", "(left as is)"),
    "plan.each": ("chacune", "each"),
    "plan.conflict": ("conflits", "conflicts"),
    "plan.removed": ("retirés du deck, en attente de --prune", "removed from the deck, waiting for --prune"),
    "plan.touched": ("touchés par les participants, gardés", "touched by participants, kept"),
    "plan.board_wide": ("Tableau commun", "Whole board"),
    "plan.outside": ("hors zone", "outside the zones"),
    "plan.gone": ("plus dans le deck ni la disposition", "no longer in the deck or layout"),
    "plan.other_zones": ("autres zones", "other zones"),
    "plan.up_to_date": ("à jour", "up to date"),
    "plan.decide": ("À décider", "To decide"),
    "plan.more": (
        "… et {n} autre(s) : --verbose pour la liste complète",
        "… and {n} more: --verbose for the full list",
    ),
    "plan.refused": (
        "option qui contredit le tableau : push la refuse sans --force",
        "option that contradicts the board: push refuses it without --force",
    ),
    "type.frame": ("zone|zones", "zone|zones"),
    "type.card": ("carte|cartes", "card|cards"),
    "type.app_card": ("carte|cartes", "card|cards"),
    "type.sticky_note": ("note|notes", "note|notes"),
    "type.text": ("texte|textes", "text|texts"),
    "type.shape": ("forme|formes", "shape|shapes"),
    "type.other": ("élément|éléments", "item|items"),
    # the roadmap (render/roadmap)
    "roadmap": ("Feuille de route", "Roadmap"),
    "board": ("Tableau", "Board"),
    "date": ("Date", "Date"),
    "deck": ("Deck", "Deck"),
    "layout": ("Disposition", "Layout"),
    "team": ("Équipe", "Team"),
    "cordee": ("La cordée", "The team"),
    "nobody": ("Personne n'est inscrit dans la cordée.", "Nobody is written in the team zone."),
    "stage": ("Étape", "Stage"),
    "empty_stage": ("Aucune carte dans cette étape.", "No card in this stage."),
    "stage_total": ("Total de l'étape", "Stage total"),
    "stage_notes": ("Notes de l'étape", "Notes of the stage"),
    "summary": ("Bilan", "Summary"),
    "chosen": ("Cartes choisies", "Cards chosen"),
    "cost": ("Coût estimé", "Estimated cost"),
    "work": ("Travail estimé", "Estimated work"),
    "difficulty_profile": ("Profil de difficulté", "Difficulty profile"),
    "balance": ("Formel / informel", "Formal / informal"),
    "themes_covered": ("Thèmes couverts", "Themes covered"),
    "themes_missing": ("Thèmes non couverts", "Themes not covered"),
    "none": ("aucun", "none"),
    "not_from_deck": ("carte(s) ajoutée(s) par l'équipe, sans estimation", "card(s) added by the team, not estimated"),
    "gantt": ("Calendrier indicatif", "Indicative schedule"),
    "gantt_title": ("Jours de travail par étape", "Days of work per stage"),
    "warnings": ("Points d'attention", "Points to check"),
    "no_warning": ("Aucun point d'attention.", "Nothing to check."),
    "notes": ("Notes et points de vigilance", "Notes and points of vigilance"),
    "loose_notes": ("Hors des zones", "Outside the zones"),
    "pile": ("Annexe : cartes restées dans la pioche", "Appendix: cards left in the pile"),
    "pile_short": ("dans la pioche", "in the pile"),
    "pile_empty": ("La pioche est vide.", "The pile is empty."),
    "comparison": ("Comparaison des équipes", "Teams compared"),
    "common": ("Cartes choisies par toutes les équipes", "Cards every team chose"),
    "board_wide": ("Pour tout le tableau", "For the whole board"),
    "institution": ("Institution", "Institution"),
    "session": ("Séance", "Session"),
    "facilitator": ("Animation", "Facilitator"),
    "pulled_on": ("Tableau relu le", "Board read on"),
    "participants": ("Participants", "Participants"),
    "roles": ("Rôles", "Roles"),
    "no_role": ("Aucun rôle n'est noté.", "No role is written."),
    "prerequisites": ("Prérequis", "Prerequisites"),
    "to_define": ("à définir", "to be decided"),
    "resources": ("Ressource", "Resource"),
    "other_cards": ("Autres cartes", "Other cards"),
    "renounced": ("Hors-piste : actions écartées", "Off-trail: actions set aside"),
    "renounced_intro": (
        "L'équipe a décidé de ne pas mener ces actions ; elles ne comptent dans aucun total.",
        "The team decided not to take these actions; they count in no total.",
    ),
    "outside_stages": (
        "Cartes hors des étapes (non comptées dans les totaux)",
        "Cards outside the stages (not in the totals)",
    ),
    "col_description": ("Description", "Description"),
    "col_rank": ("N°", "#"),
    "col_code": ("Code", "Code"),
    "col_title": ("Action", "Action"),
    "col_theme": ("Thème", "Theme"),
    "col_kind": ("Nature", "Kind"),
    "col_difficulty": ("Difficulté", "Difficulty"),
    "col_cost": ("Coût", "Cost"),
    "col_cost_min": ("Coût min (€)", "Cost min (€)"),
    "col_cost_max": ("Coût max (€)", "Cost max (€)"),
    "col_days": ("Jours", "Days"),
    "col_gains": ("Gains", "Gains"),
    "col_impact": ("Impact", "Impact"),
    "col_owner": ("Responsable", "Owner"),
    "col_due": ("Échéance", "Due"),
    "col_tags": ("Étiquettes", "Tags"),
    "col_notes": ("Notes", "Notes"),
    "col_team": ("Équipe", "Team"),
    "col_stage_order": ("N° étape", "Stage #"),
    "col_stage": ("Étape", "Stage"),
    "col_cards": ("Cartes", "Cards"),
    "col_formal": ("Formelles", "Formal"),
    "col_informal": ("Informelles", "Informal"),
    "col_themes": ("Thèmes", "Themes"),
    "col_warnings": ("Points d'attention", "Warnings"),
    "col_name": ("Nom", "Name"),
    "col_role": ("Rôle", "Role"),
    "col_level": ("Niveau", "Level"),
}


def parse_lang(value: str, option: str = "--lang") -> Lang:
    """``value`` as a language code (case and spaces ignored), or a :class:`UserError` naming the option."""
    folded = value.strip().lower()
    for lang in LANGS:
        if folded == lang:
            return lang
    raise UserError(f"option {option} : langue « {value} » inconnue ; langues possibles : {', '.join(LANGS)}")


def t(key: str, lang: Lang) -> str:
    """The text of ``key`` in ``lang`` (a missing key is a bug, hence a KeyError)."""
    french, english = WORDS[key]
    return french if lang == "fr" else english


def label(text: str, lang: Lang) -> str:
    """``text`` followed by a colon, spaced as each language does: ``Total de l'étape :`` / ``Stage total:``."""
    return f"{text}\u00a0:" if lang == "fr" else f"{text}:"
