"""What emails say, in English, French, Spanish and Portuguese, and dates written the
way each language writes them. Pure data and formatting; no I/O.

A trainee chooses their email language on the form; a mentor gets their first listed
language when it is one of these, else English.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCALES = ("en", "fr", "es", "pt")

_DAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
}
_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
}
_DATE = {"en": "{day} {d} {month} {y}, {hm}", "fr": "{day} {d} {month} {y} à {hm}",
         "es": "{day} {d} de {month} de {y}, {hm}", "pt": "{day}, {d} de {month} de {y}, {hm}"}


def locale_for(languages: list[str], chosen: str | None = None) -> str:
    if chosen in LOCALES:
        return chosen
    return next((code for code in languages if code in LOCALES), "en")


def when(iso: str, tz: str, locale: str) -> str:
    """A time in the recipient's zone and language, with the zone named: "mardi 24 novembre
    2026 à 19:00 (Europe/Paris, UTC+01:00)"."""
    dt = datetime.fromisoformat(iso).astimezone(ZoneInfo(tz))
    offset = dt.strftime("%z")
    text = _DATE[locale].format(day=_DAYS[locale][dt.weekday()], d=dt.day, month=_MONTHS[locale][dt.month - 1],
                                y=dt.year, hm=dt.strftime("%H:%M"))
    return f"{text} ({tz}, UTC{offset[:3]}:{offset[3:]})"


# Each message: locale → text with {placeholders}.
T: dict[str, dict[str, str]] = {
    "hello": {"en": "Hello {name},", "fr": "Bonjour {name},", "es": "Hola, {name}:", "pt": "Olá, {name},"},
    "signoff": {"en": "— Twoshot", "fr": "— Twoshot", "es": "— Twoshot", "pt": "— Twoshot"},
    "your_zone": {"en": "in your time zone", "fr": "dans votre fuseau horaire", "es": "en tu zona horaria",
                  "pt": "no seu fuso horário"},
    "video_room": {"en": "Video room", "fr": "Salle vidéo", "es": "Sala de vídeo", "pt": "Sala de vídeo"},
    "join": {"en": "Join the video room", "fr": "Rejoindre la salle vidéo", "es": "Entrar en la sala de vídeo",
             "pt": "Entrar na sala de vídeo"},
    "calendar_note": {"en": "The attached invitation updates your calendar.",
                      "fr": "L'invitation jointe met à jour votre agenda.",
                      "es": "La invitación adjunta actualiza tu calendario.",
                      "pt": "O convite anexo atualiza a sua agenda."},
    "cancel": {"en": "Cancel", "fr": "Annuler", "es": "Cancelar", "pt": "Cancelar"},
    "reschedule": {"en": "Choose another time", "fr": "Choisir un autre moment", "es": "Elegir otra hora",
                   "pt": "Escolher outro horário"},
    "accept": {"en": "Accept", "fr": "Accepter", "es": "Aceptar", "pt": "Aceitar"},
    "decline": {"en": "Decline", "fr": "Refuser", "es": "Rechazar", "pt": "Recusar"},
    "propose": {"en": "Propose another time", "fr": "Proposer un autre moment", "es": "Proponer otra hora",
                "pt": "Propor outro horário"},
    # The invite, to the mentor
    "invite_subject": {"en": "Critique session request from {trainee} — {when}",
                       "fr": "Demande de séance de critique de {trainee} — {when}",
                       "es": "Solicitud de sesión de crítica de {trainee} — {when}",
                       "pt": "Pedido de sessão de crítica de {trainee} — {when}"},
    "invite_intro": {"en": "{trainee} ({country}) would like a {discipline} critique session with you.",
                     "fr": "{trainee} ({country}) souhaite une séance de critique en {discipline} avec vous.",
                     "es": "{trainee} ({country}) quiere una sesión de crítica de {discipline} contigo.",
                     "pt": "{trainee} ({country}) gostaria de uma sessão de crítica de {discipline} consigo."},
    "wants": {"en": "They want to work on: {skills}", "fr": "Ses priorités : {skills}",
              "es": "Quiere trabajar en: {skills}", "pt": "Quer trabalhar em: {skills}"},
    "in_their_words": {"en": "In their words: {goals}", "fr": "Selon ses mots : {goals}",
                       "es": "En sus palabras: {goals}", "pt": "Nas suas palavras: {goals}"},
    "sample": {"en": "Their work sample: {url}", "fr": "Son extrait de travail : {url}",
               "es": "Su muestra de trabajo: {url}", "pt": "A sua amostra de trabalho: {url}"},
    "proposed_time": {"en": "Proposed time: {when} ({minutes} minutes).",
                      "fr": "Horaire proposé : {when} ({minutes} minutes).",
                      "es": "Hora propuesta: {when} ({minutes} minutos).",
                      "pt": "Horário proposto: {when} ({minutes} minutos)."},
    "answer_by": {"en": "Please answer by {when}.", "fr": "Merci de répondre avant le {when}.",
                  "es": "Responde antes del {when}.", "pt": "Responda até {when}."},
    # Reminder that an invite expires
    "expiring_subject": {"en": "Reminder: {trainee} is waiting for your answer",
                         "fr": "Rappel : {trainee} attend votre réponse",
                         "es": "Recordatorio: {trainee} espera tu respuesta",
                         "pt": "Lembrete: {trainee} aguarda a sua resposta"},
    # Confirmed, to both
    "confirmed_subject": {"en": "Confirmed: critique session with {other} — {when}",
                          "fr": "Confirmé : séance de critique avec {other} — {when}",
                          "es": "Confirmada: sesión de crítica con {other} — {when}",
                          "pt": "Confirmada: sessão de crítica com {other} — {when}"},
    "confirmed_body": {"en": "Your {discipline} critique session with {other} is confirmed for {when}.",
                       "fr": "Votre séance de critique en {discipline} avec {other} est confirmée le {when}.",
                       "es": "Tu sesión de crítica de {discipline} con {other} está confirmada para el {when}.",
                       "pt": "A sua sessão de crítica de {discipline} com {other} está confirmada para {when}."},
    # Rescheduled, to both
    "moved_subject": {"en": "New time: critique session with {other} — {when}",
                      "fr": "Nouvel horaire : séance de critique avec {other} — {when}",
                      "es": "Nueva hora: sesión de crítica con {other} — {when}",
                      "pt": "Novo horário: sessão de crítica com {other} — {when}"},
    "moved_body": {"en": "{by} moved your {discipline} critique session with {other} to {when}.",
                   "fr": "{by} a déplacé votre séance de critique en {discipline} avec {other} au {when}.",
                   "es": "{by} ha movido tu sesión de crítica de {discipline} con {other} al {when}.",
                   "pt": "{by} mudou a sua sessão de crítica de {discipline} com {other} para {when}."},
    # A slot the mentor proposed, to the trainee
    "slot_subject": {"en": "{other} proposes a time for your critique session — {when}",
                     "fr": "{other} propose un horaire pour votre séance de critique — {when}",
                     "es": "{other} propone una hora para tu sesión de crítica — {when}",
                     "pt": "{other} propõe um horário para a sua sessão de crítica — {when}"},
    "slot_body": {"en": "{other} cannot make the first time and proposes {when}. Does it suit you?",
                  "fr": "{other} n'est pas disponible au premier horaire et propose le {when}. Cela vous convient-il ?",
                  "es": "{other} no puede en la primera hora y propone el {when}. ¿Te viene bien?",
                  "pt": "{other} não pode no primeiro horário e propõe {when}. Serve-lhe?"},
    # Cancelled, to both
    "cancel_subject": {"en": "Cancelled: critique session with {other} — {when}",
                       "fr": "Annulée : séance de critique avec {other} — {when}",
                       "es": "Cancelada: sesión de crítica con {other} — {when}",
                       "pt": "Cancelada: sessão de crítica com {other} — {when}"},
    "cancel_body": {"en": "{by} cancelled your {discipline} critique session with {other} on {when}.",
                    "fr": "{by} a annulé votre séance de critique en {discipline} avec {other} du {when}.",
                    "es": "{by} ha cancelado tu sesión de crítica de {discipline} con {other} del {when}.",
                    "pt": "{by} cancelou a sua sessão de crítica de {discipline} com {other} de {when}."},
    # Reminders before a confirmed session
    "soon_subject": {"en": "Reminder: critique session with {other} {lead} — {when}",
                     "fr": "Rappel : séance de critique avec {other} {lead} — {when}",
                     "es": "Recordatorio: sesión de crítica con {other} {lead} — {when}",
                     "pt": "Lembrete: sessão de crítica com {other} {lead} — {when}"},
    "lead_24h": {"en": "tomorrow", "fr": "demain", "es": "mañana", "pt": "amanhã"},
    "lead_1h": {"en": "in one hour", "fr": "dans une heure", "es": "en una hora", "pt": "daqui a uma hora"},
    # After the session
    "critique_subject": {"en": "How did it go with {other}? Write your critique",
                         "fr": "Comment s'est passée la séance avec {other} ? Rédigez votre critique",
                         "es": "¿Qué tal con {other}? Escribe tu crítica",
                         "pt": "Como correu com {other}? Escreva a sua crítica"},
    "critique_body": {"en": "Thank you for mentoring {other}. Your critique helps them most while the session is fresh.",
                      "fr": "Merci d'avoir accompagné {other}. Votre critique l'aide davantage tant que la séance est récente.",
                      "es": "Gracias por mentorizar a {other}. Tu crítica le ayuda más mientras la sesión está reciente.",
                      "pt": "Obrigado por orientar {other}. A sua crítica ajuda mais enquanto a sessão está fresca."},
    "write_critique": {"en": "Write the critique", "fr": "Rédiger la critique", "es": "Escribir la crítica",
                       "pt": "Escrever a crítica"},
    "rate_subject": {"en": "Rate your session with {other}", "fr": "Évaluez votre séance avec {other}",
                     "es": "Valora tu sesión con {other}", "pt": "Avalie a sua sessão com {other}"},
    "rate_body": {"en": "How useful was your session with {other}? Your rating improves future matches.",
                  "fr": "Votre séance avec {other} vous a-t-elle été utile ? Votre note améliore les prochains appariements.",
                  "es": "¿Te fue útil la sesión con {other}? Tu valoración mejora los próximos emparejamientos.",
                  "pt": "A sua sessão com {other} foi útil? A sua avaliação melhora os próximos emparelhamentos."},
    "rate": {"en": "Rate the session", "fr": "Évaluer la séance", "es": "Valorar la sesión", "pt": "Avaliar a sessão"},
    "critique_ready_subject": {"en": "{other} has written your critique", "fr": "{other} a rédigé votre critique",
                               "es": "{other} ha escrito tu crítica", "pt": "{other} escreveu a sua crítica"},
    "next_steps": {"en": "Next steps", "fr": "Prochaines étapes", "es": "Próximos pasos", "pt": "Próximos passos"},
    "notes": {"en": "Notes on your reel", "fr": "Notes sur votre bande démo", "es": "Notas sobre tu reel",
              "pt": "Notas sobre o seu reel"},
}


def t(key: str, locale: str, **values) -> str:
    entry = T[key]
    return entry.get(locale, entry["en"]).format(**values)
