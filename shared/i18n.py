"""What emails and the pages behind their links say, in English, French, Spanish and
Portuguese, and dates written the way each language writes them. Pure data and
formatting; no I/O.

A trainee chooses their email language on the form; a mentor gets their first listed
language when it is one of these, else English.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from shared.geo import country_name, language_name

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


def day(iso: str, tz: str, locale: str) -> str:
    """A date alone, short, as the locale writes it (Babel): "31 Mar 2027", "31 mars 2027"."""
    return format_date(datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).date(), format="medium", locale=locale)


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
    "invite_intro": {"en": "{trainee} ({country}) would like a critique session with you, on {discipline}.",
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
    "confirmed_body": {"en": "Your critique session on {discipline} with {other} is confirmed for {when}.",
                       "fr": "Votre séance de critique en {discipline} avec {other} est confirmée le {when}.",
                       "es": "Tu sesión de crítica de {discipline} con {other} está confirmada para el {when}.",
                       "pt": "A sua sessão de crítica de {discipline} com {other} está confirmada para {when}."},
    # Rescheduled, to both
    "moved_subject": {"en": "New time: critique session with {other} — {when}",
                      "fr": "Nouvel horaire : séance de critique avec {other} — {when}",
                      "es": "Nueva hora: sesión de crítica con {other} — {when}",
                      "pt": "Novo horário: sessão de crítica com {other} — {when}"},
    # Moved: to whoever moved it, and to the other person (who is the one who moved it)
    "moved_body_self": {"en": "You moved your critique session on {discipline} with {other} to {when}.",
                        "fr": "Vous avez déplacé votre séance de critique en {discipline} avec {other} au {when}.",
                        "es": "Has movido tu sesión de crítica de {discipline} con {other} al {when}.",
                        "pt": "Mudou a sua sessão de crítica de {discipline} com {other} para {when}."},
    "moved_body": {"en": "{other} moved your critique session on {discipline} to {when}.",
                   "fr": "{other} a déplacé votre séance de critique en {discipline} au {when}.",
                   "es": "{other} ha movido vuestra sesión de crítica de {discipline} al {when}.",
                   "pt": "{other} mudou a vossa sessão de crítica de {discipline} para {when}."},
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
    "cancel_body_self": {"en": "You cancelled your critique session on {discipline} with {other} on {when}.",
                         "fr": "Vous avez annulé votre séance de critique en {discipline} avec {other} du {when}.",
                         "es": "Has cancelado tu sesión de crítica de {discipline} con {other} del {when}.",
                         "pt": "Cancelou a sua sessão de crítica de {discipline} com {other} de {when}."},
    "cancel_body": {"en": "{other} cancelled your critique session on {discipline} on {when}.",
                    "fr": "{other} a annulé votre séance de critique en {discipline} du {when}.",
                    "es": "{other} ha cancelado vuestra sesión de crítica de {discipline} del {when}.",
                    "pt": "{other} cancelou a vossa sessão de crítica de {discipline} de {when}."},
    "cancel_body_programme": {"en": "Your critique session on {discipline} with {other} on {when} is cancelled: "
                                    "the other person is no longer in the programme.",
                              "fr": "Votre séance de critique en {discipline} avec {other} du {when} est annulée : "
                                    "l'autre personne ne fait plus partie du programme.",
                              "es": "Tu sesión de crítica de {discipline} con {other} del {when} queda cancelada: la "
                                    "otra persona ya no está en el programa.",
                              "pt": "A sua sessão de crítica de {discipline} com {other} de {when} foi cancelada: a "
                                    "outra pessoa já não está no programa."},
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
    "status_link": {"en": "Your request's page (status, critique): {url}",
                    "fr": "La page de votre demande (suivi, critique) : {url}",
                    "es": "La página de tu solicitud (estado, crítica): {url}",
                    "pt": "A página do seu pedido (estado, crítica): {url}"},
    "rate": {"en": "Rate the session", "fr": "Évaluer la séance", "es": "Valorar la sesión", "pt": "Avaliar a sessão"},
    "critique_ready_subject": {"en": "{other} has written your critique", "fr": "{other} a rédigé votre critique",
                               "es": "{other} ha escrito tu crítica", "pt": "{other} escreveu a sua crítica"},
    "next_steps": {"en": "Next steps", "fr": "Prochaines étapes", "es": "Próximos pasos", "pt": "Próximos passos"},
    "notes": {"en": "Notes on your reel", "fr": "Notes sur votre bande démo", "es": "Notas sobre tu reel",
              "pt": "Notas sobre o seu reel"},
}


# The pages behind the links in emails (sessions service).
T.update({
    "page_accept": {"en": "Accept this critique session?", "fr": "Accepter cette séance de critique ?",
                    "es": "¿Aceptar esta sesión de crítica?", "pt": "Aceitar esta sessão de crítica?"},
    "page_decline": {"en": "Decline this critique session?", "fr": "Refuser cette séance de critique ?",
                     "es": "¿Rechazar esta sesión de crítica?", "pt": "Recusar esta sessão de crítica?"},
    "page_propose": {"en": "Propose another time", "fr": "Proposer un autre moment", "es": "Proponer otra hora",
                     "pt": "Propor outro horário"},
    "page_accept-slot": {"en": "Does this new time suit you?", "fr": "Ce nouvel horaire vous convient-il ?",
                         "es": "¿Te viene bien esta nueva hora?", "pt": "Este novo horário serve-lhe?"},
    "page_decline-slot": {"en": "Decline the proposed time?", "fr": "Refuser l'horaire proposé ?",
                          "es": "¿Rechazar la hora propuesta?", "pt": "Recusar o horário proposto?"},
    "page_cancel": {"en": "Cancel this session?", "fr": "Annuler cette séance ?", "es": "¿Cancelar esta sesión?",
                    "pt": "Cancelar esta sessão?"},
    "page_reschedule": {"en": "Choose another time", "fr": "Choisir un autre moment", "es": "Elegir otra hora",
                        "pt": "Escolher outro horário"},
    "page_critique": {"en": "Your critique", "fr": "Votre critique", "es": "Tu crítica", "pt": "A sua crítica"},
    "page_rate": {"en": "Rate your session", "fr": "Évaluez votre séance", "es": "Valora tu sesión",
                  "pt": "Avalie a sua sessão"},
    "page_with": {"en": "Critique session on {discipline} with {name} ({country}).",
                  "fr": "Séance de critique en {discipline} avec {name} ({country}).",
                  "es": "Sesión de crítica de {discipline} con {name} ({country}).",
                  "pt": "Sessão de crítica de {discipline} com {name} ({country})."},
    "page_when": {"en": "When", "fr": "Quand", "es": "Cuándo", "pt": "Quando"},
    "page_current": {"en": "Current time", "fr": "Horaire actuel", "es": "Hora actual", "pt": "Horário atual"},
    "page_proposed": {"en": "Proposed time", "fr": "Horaire proposé", "es": "Hora propuesta", "pt": "Horário proposto"},
    "page_zone": {"en": "Shown in your time zone.", "fr": "Affiché dans votre fuseau horaire.",
                  "es": "Mostrado en tu zona horaria.", "pt": "Mostrado no seu fuso horário."},
    "page_check": {"en": "Please check the field(s) marked below.", "fr": "Vérifiez le ou les champs signalés ci-dessous.",
                   "es": "Revisa los campos marcados abajo.", "pt": "Verifique o(s) campo(s) assinalado(s) abaixo."},
    "page_times": {"en": "Times you can both make", "fr": "Horaires possibles pour vous deux",
                   "es": "Horas en que podéis los dos", "pt": "Horários possíveis para ambos"},
    "page_no_times": {"en": "No other time fits both of you in the next weeks.",
                      "fr": "Aucun autre horaire ne vous convient à tous les deux dans les prochaines semaines.",
                      "es": "Ninguna otra hora os viene bien a los dos en las próximas semanas.",
                      "pt": "Nenhum outro horário serve a ambos nas próximas semanas."},
    "page_message": {"en": "Message to {other} (optional; the programme reads it too)",
                     "fr": "Message pour {other} (facultatif ; le programme le lit aussi)",
                     "es": "Mensaje para {other} (opcional; el programa también lo lee)",
                     "pt": "Mensagem para {other} (opcional; o programa também a lê)"},
    "page_reason": {"en": "Reason (optional; only the programme reads it)",
                    "fr": "Motif (facultatif ; seul le programme le lit)",
                    "es": "Motivo (opcional; solo el programa lo lee)",
                    "pt": "Motivo (opcional; só o programa o lê)"},
    "their_message": {"en": "{other} wrote: “{message}”", "fr": "{other} a écrit : « {message} »",
                      "es": "{other} escribió: «{message}»", "pt": "{other} escreveu: «{message}»"},
    "page_propose_button": {"en": "Propose this time", "fr": "Proposer cet horaire", "es": "Proponer esta hora",
                            "pt": "Propor este horário"},
    "page_move_button": {"en": "Move the session", "fr": "Déplacer la séance", "es": "Mover la sesión",
                         "pt": "Mudar a sessão"},
    "page_button_accept": {"en": "Accept the session", "fr": "Accepter la séance", "es": "Aceptar la sesión",
                           "pt": "Aceitar a sessão"},
    "page_button_decline": {"en": "Decline the session", "fr": "Refuser la séance", "es": "Rechazar la sesión",
                            "pt": "Recusar a sessão"},
    "page_button_accept-slot": {"en": "Accept the new time", "fr": "Accepter le nouvel horaire",
                                "es": "Aceptar la nueva hora", "pt": "Aceitar o novo horário"},
    "page_button_decline-slot": {"en": "Decline the new time", "fr": "Refuser le nouvel horaire",
                                 "es": "Rechazar la nueva hora", "pt": "Recusar o novo horário"},
    "page_button_cancel": {"en": "Cancel the session", "fr": "Annuler la séance", "es": "Cancelar la sesión",
                           "pt": "Cancelar a sessão"},
    "page_score_hint": {"en": "Score each line from 1 (needs a lot of work) to 5 (excellent), and say why.",
                        "fr": "Notez chaque ligne de 1 (beaucoup à travailler) à 5 (excellent), et dites pourquoi.",
                        "es": "Puntúa cada línea de 1 (mucho por mejorar) a 5 (excelente) y explica por qué.",
                        "pt": "Avalie cada linha de 1 (muito a melhorar) a 5 (excelente) e diga porquê."},
    "page_score": {"en": "Score", "fr": "Note", "es": "Puntuación", "pt": "Nota"},
    "page_comment": {"en": "Comment", "fr": "Commentaire", "es": "Comentario", "pt": "Comentário"},
    "page_choose": {"en": "Choose…", "fr": "Choisir…", "es": "Elegir…", "pt": "Escolher…"},
    "page_notes": {"en": "Notes on the reel, one per line as mm:ss (or h:mm:ss) and the note",
                   "fr": "Notes sur la bande démo, une par ligne : mm:ss (ou h:mm:ss) puis la note",
                   "es": "Notas sobre el reel, una por línea: mm:ss (o h:mm:ss) y la nota",
                   "pt": "Notas sobre o reel, uma por linha: mm:ss (ou h:mm:ss) e a nota"},
    "page_notes_hint": {"en": "e.g. 01:25 focus drifts off the eyes on the close-up",
                        "fr": "ex. 01:25 le point glisse des yeux sur le gros plan",
                        "es": "p. ej. 01:25 el foco se va de los ojos en el primer plano",
                        "pt": "ex. 01:25 o foco sai dos olhos no grande plano"},
    "page_open_reel": {"en": "open the reel", "fr": "ouvrir la bande démo", "es": "abrir el reel",
                       "pt": "abrir o reel"},
    "page_send_critique": {"en": "Send the critique", "fr": "Envoyer la critique", "es": "Enviar la crítica",
                           "pt": "Enviar a crítica"},
    "page_how_useful": {"en": "How useful was the session?", "fr": "La séance vous a-t-elle été utile ?",
                        "es": "¿Qué tan útil fue la sesión?", "pt": "Quão útil foi a sessão?"},
    "page_comment_optional": {"en": "Comment (optional)", "fr": "Commentaire (facultatif)",
                              "es": "Comentario (opcional)", "pt": "Comentário (opcional)"},
    "page_send_rating": {"en": "Send my rating", "fr": "Envoyer ma note", "es": "Enviar mi valoración",
                         "pt": "Enviar a minha avaliação"},
    "done_critique": {"en": "Critique sent", "fr": "Critique envoyée", "es": "Crítica enviada", "pt": "Crítica enviada"},
    "done_critique_body": {"en": "Thank you. {name} can read it now.", "fr": "Merci. {name} peut la lire dès maintenant.",
                           "es": "Gracias. {name} ya puede leerla.", "pt": "Obrigado. {name} já a pode ler."},
    "done_rating": {"en": "Thank you for your rating", "fr": "Merci pour votre note", "es": "Gracias por tu valoración",
                    "pt": "Obrigado pela sua avaliação"},
    "done_moved": {"en": "Session moved", "fr": "Séance déplacée", "es": "Sesión movida", "pt": "Sessão mudada"},
    "done_confirmed": {"en": "Session confirmed", "fr": "Séance confirmée", "es": "Sesión confirmada",
                       "pt": "Sessão confirmada"},
    "done_meet": {"en": "You will meet {name} on {when}.", "fr": "Vous rencontrerez {name} le {when}.",
                  "es": "Te reunirás con {name} el {when}.", "pt": "Vai encontrar {name} em {when}."},
    "done_emailed": {"en": "We have emailed you both a calendar invitation.",
                     "fr": "Nous vous avons envoyé à tous les deux une invitation d'agenda.",
                     "es": "Os hemos enviado a los dos una invitación de calendario.",
                     "pt": "Enviámos a ambos um convite de agenda."},
    "done_proposed": {"en": "Time proposed", "fr": "Horaire proposé", "es": "Hora propuesta", "pt": "Horário proposto"},
    "done_proposed_body": {"en": "We have asked {name} whether {when} suits them.",
                           "fr": "Nous avons demandé à {name} si le {when} lui convient.",
                           "es": "Hemos preguntado a {name} si le viene bien el {when}.",
                           "pt": "Perguntámos a {name} se {when} lhe serve."},
    "done_cancelled": {"en": "Session cancelled", "fr": "Séance annulée", "es": "Sesión cancelada",
                       "pt": "Sessão cancelada"},
    "done_cancelled_body": {"en": "We have told {name}. The email we sent each of you removes it from your "
                                  "calendar when opened.",
                            "fr": "Nous avons prévenu {name}. L'e-mail envoyé à chacun de vous la retire de votre "
                                  "agenda à l'ouverture.",
                            "es": "Se lo hemos dicho a {name}. El correo que os enviamos a cada uno la quita de "
                                  "vuestro calendario al abrirlo.",
                            "pt": "Avisámos {name}. O e-mail que enviámos a cada um retira-a da agenda quando for "
                                  "aberto."},
    "done_declined": {"en": "Session declined", "fr": "Séance refusée", "es": "Sesión rechazada",
                      "pt": "Sessão recusada"},
    "done_declined_body": {"en": "Thank you for letting us know.", "fr": "Merci de nous avoir prévenus.",
                           "es": "Gracias por avisarnos.", "pt": "Obrigado por nos avisar."},
    "done_next_mentor": {"en": "We will find {name} another mentor.", "fr": "Nous trouverons un autre mentor pour {name}.",
                         "es": "Buscaremos otro mentor para {name}.", "pt": "Vamos encontrar outro mentor para {name}."},
})

# Any page, while a dependency is away (HTTP 503).
T.update({
    "unavailable_title": {"en": "Please try again in a moment", "fr": "Merci de réessayer dans un instant",
                          "es": "Vuelve a intentarlo en un momento", "pt": "Tente novamente dentro de momentos"},
    "unavailable_body": {
        "en": "We cannot save anything right now because part of our service is restarting. Nothing you sent "
              "was lost or saved twice: please send it again in a few seconds.",
        "fr": "Nous ne pouvons rien enregistrer pour l'instant, car une partie de notre service redémarre. Rien "
              "de ce que vous avez envoyé n'a été perdu ni enregistré deux fois : renvoyez-le dans quelques "
              "secondes.",
        "es": "Ahora mismo no podemos guardar nada porque una parte de nuestro servicio se está reiniciando. No "
              "se ha perdido ni guardado dos veces nada de lo que enviaste: vuelve a enviarlo en unos segundos.",
        "pt": "Neste momento não conseguimos guardar nada porque uma parte do nosso serviço está a reiniciar. "
              "Nada do que enviou se perdeu nem foi guardado duas vezes: envie-o novamente dentro de alguns "
              "segundos."},
})

# The intake form and status page (intake service).
def _m(en, fr, es, pt):
    return {"en": en, "fr": fr, "es": es, "pt": pt}


T.update({
    "form_title": _m("Ask for a mentor", "Demander un mentor", "Pide un mentor", "Pedir um mentor"),
    "form_intro": _m("Tell us what you work on and when you are free. We match you with a mentor from a partner "
                     "country and set up a remote critique session.",
                     "Dites-nous sur quoi vous travaillez et quand vous êtes libre. Nous vous associons à un mentor "
                     "d'un pays partenaire et organisons une séance de critique à distance.",
                     "Cuéntanos en qué trabajas y cuándo estás libre. Te emparejamos con un mentor de un país socio "
                     "y organizamos una sesión de crítica a distancia.",
                     "Diga-nos em que trabalha e quando está livre. Juntamo-lo a um mentor de um país parceiro e "
                     "marcamos uma sessão de crítica à distância."),
    "form_name": _m("Your name", "Votre nom", "Tu nombre", "O seu nome"),
    "form_email": _m("Your email address", "Votre adresse e-mail", "Tu dirección de correo",
                     "O seu endereço de e-mail"),
    "form_country": _m("Country you work in", "Pays où vous travaillez", "País donde trabajas", "País onde trabalha"),
    "form_timezone": _m("Your time zone", "Votre fuseau horaire", "Tu zona horaria", "O seu fuso horário"),
    "form_timezone_hint": _m("We show every time to you in this zone.", "Nous vous montrons chaque horaire dans ce fuseau.",
                             "Te mostramos cada hora en esta zona.", "Mostramos-lhe cada horário neste fuso."),
    "form_languages": _m("Languages you can be mentored in", "Langues dans lesquelles vous pouvez être accompagné",
                         "Idiomas en los que puedes recibir mentoría", "Línguas em que pode ser orientado"),
    "form_locale": _m("Language for our emails", "Langue de nos e-mails", "Idioma de nuestros correos",
                      "Língua dos nossos e-mails"),
    "form_discipline": _m("Discipline", "Discipline", "Disciplina", "Disciplina"),
    "form_skills": _m("Skills you want to work on", "Compétences à travailler", "Habilidades que quieres trabajar",
                      "Competências que quer trabalhar"),
    "form_skills_hint": _m("Separate them with commas, e.g. focus pulling, night exteriors on limited power, boom operation.",
                           "Séparez-les par des virgules, ex. : point, extérieurs nuit avec peu de puissance, perche.",
                           "Sepáralas con comas, p. ej.: foco, exteriores de noche con poca potencia, pértiga.",
                           "Separe-as por vírgulas, ex.: foco, exteriores noturnos com pouca potência, boom."),
    "form_goals": _m("What do you want to get better at?", "Qu'aimeriez-vous améliorer ?", "¿En qué quieres mejorar?",
                     "Em que quer melhorar?"),
    "form_reel": _m("Link to your reel or a work sample (optional)", "Lien vers votre bande démo ou un extrait (facultatif)",
                    "Enlace a tu reel o a una muestra (opcional)", "Link para o seu reel ou uma amostra (opcional)"),
    "form_cohort": _m("Programme code (optional)", "Code du programme (facultatif)", "Código del programa (opcional)",
                      "Código do programa (opcional)"),
    "form_cohort_hint": _m("If your exchange programme gave you a code, enter it: the programme then matches its trainees together.",
                           "Si votre programme d'échange vous a donné un code, saisissez-le : le programme apparie alors ses stagiaires ensemble.",
                           "Si tu programa de intercambio te dio un código, escríbelo: el programa empareja a sus participantes juntos.",
                           "Se o seu programa de intercâmbio lhe deu um código, introduza-o: o programa emparelha os seus formandos em conjunto."),
    "form_availability": _m("When are you free each week? (your local time)",
                            "Quand êtes-vous libre chaque semaine ? (heure locale)",
                            "¿Cuándo estás libre cada semana? (tu hora local)",
                            "Quando está livre cada semana? (hora local)"),
    "form_from": _m("from", "de", "de", "das"),
    "form_to": _m("to", "à", "a", "às"),
    "form_about": _m("About you (optional)", "À propos de vous (facultatif)", "Sobre ti (opcional)", "Sobre si (opcional)"),
    "form_about_hint": _m("Programmes use this only to make access to mentors fairer. Leave it empty if you prefer.",
                          "Les programmes l'utilisent uniquement pour rendre l'accès aux mentors plus équitable. Laissez vide si vous préférez.",
                          "Los programas lo usan solo para que el acceso a mentores sea más justo. Déjalo vacío si lo prefieres.",
                          "Os programas usam isto só para tornar o acesso a mentores mais justo. Deixe vazio se preferir."),
    "form_gender": _m("Gender, in your own words", "Genre, avec vos propres mots", "Género, con tus palabras",
                      "Género, nas suas palavras"),
    "form_under": _m("Are you part of a group under-represented in your local industry?",
                     "Faites-vous partie d'un groupe sous-représenté dans votre secteur local ?",
                     "¿Formas parte de un grupo infrarrepresentado en tu industria local?",
                     "Faz parte de um grupo sub-representado na sua indústria local?"),
    "form_prefer_not": _m("Prefer not to say", "Je préfère ne pas répondre", "Prefiero no decirlo", "Prefiro não dizer"),
    "form_yes": _m("Yes", "Oui", "Sí", "Sim"),
    "form_no": _m("No", "Non", "No", "Não"),
    "form_background": _m("Anything else about your background you want the programme to know",
                          "Autre chose sur votre parcours que le programme devrait savoir",
                          "Algo más sobre tu trayectoria que quieras contar al programa",
                          "Mais alguma coisa sobre o seu percurso que queira contar ao programa"),
    "form_consent": _m("I agree that Twoshot stores these answers and uses them for fairer matching.",
                       "J'accepte que Twoshot conserve ces réponses et les utilise pour un appariement plus équitable.",
                       "Acepto que Twoshot guarde estas respuestas y las use para un emparejamiento más justo.",
                       "Aceito que a Twoshot guarde estas respostas e as use para um emparelhamento mais justo."),
    "form_submit": _m("Ask for a mentor", "Demander un mentor", "Pedir un mentor", "Pedir um mentor"),
    "form_check": _m("Please check the {n} field(s) marked below.", "Vérifiez les {n} champ(s) signalé(s) ci-dessous.",
                     "Revisa los {n} campo(s) marcados abajo.", "Verifique o(s) {n} campo(s) assinalado(s) abaixo."),
    "status_title": _m("Your mentorship request", "Votre demande de mentorat", "Tu solicitud de mentoría",
                       "O seu pedido de mentoria"),
    "status_number": _m("Request number", "Numéro de demande", "Número de solicitud", "Número do pedido"),
    "status_keep": _m("keep this page's link to come back.", "gardez le lien de cette page pour y revenir.",
                      "guarda el enlace de esta página para volver.", "guarde o link desta página para voltar."),
    "status_history": _m("What happened", "Ce qui s'est passé", "Qué ha pasado", "O que aconteceu"),
    "status_refresh": _m("This page updates by itself every few seconds.", "Cette page se met à jour toute seule.",
                         "Esta página se actualiza sola cada pocos segundos.", "Esta página atualiza-se sozinha."),
    "status_refresh_link": _m("Refresh now", "Actualiser", "Actualizar ahora", "Atualizar agora"),
    "status_critique": _m("Your critique", "Votre critique", "Tu crítica", "A sua crítica"),
    "step_requested": _m("Requested", "Demandé", "Solicitado", "Pedido"),
    "step_matched": _m("Matched", "Apparié", "Emparejado", "Emparelhado"),
    "step_invited": _m("Invited", "Invité", "Invitado", "Convidado"),
    "step_confirmed": _m("Confirmed", "Confirmé", "Confirmado", "Confirmado"),
    "step_completed": _m("Completed", "Terminé", "Completado", "Concluído"),
    "step_critiqued": _m("Critiqued", "Critique reçue", "Crítica recibida", "Crítica recebida"),
    # The status timeline: {name} {country} {when} {reason} {rating} {code} are filled at display time.
    "st_requested": _m("We have your request and are looking for a mentor.",
                       "Nous avons votre demande et cherchons un mentor.",
                       "Tenemos tu solicitud y estamos buscando un mentor.",
                       "Recebemos o seu pedido e estamos à procura de um mentor."),
    "st_held": _m("We have your request. Your programme ({code}) matches its trainees together; you will hear from us when it does.",
                  "Nous avons votre demande. Votre programme ({code}) apparie ses stagiaires ensemble ; nous vous écrirons à ce moment-là.",
                  "Tenemos tu solicitud. Tu programa ({code}) empareja a sus participantes juntos; te escribiremos cuando lo haga.",
                  "Recebemos o seu pedido. O seu programa ({code}) emparelha os formandos em conjunto; escreveremos quando o fizer."),
    "st_matched": _m("We matched you with {name} ({country}).", "Nous vous avons associé à {name} ({country}).",
                     "Te hemos emparejado con {name} ({country}).", "Emparelhámo-lo com {name} ({country})."),
    "st_unmatched": _m("We could not find a mentor yet: {reason}", "Nous n'avons pas encore trouvé de mentor : {reason}",
                       "Aún no hemos encontrado mentor: {reason}", "Ainda não encontrámos mentor: {reason}"),
    "st_invited": _m("{name} has been invited to a session on {when}.", "{name} a été invité(e) à une séance le {when}.",
                     "{name} ha sido invitado/a a una sesión el {when}.", "{name} foi convidado/a para uma sessão em {when}."),
    "st_confirmed": _m("Confirmed: your session is on {when}.", "Confirmé : votre séance a lieu le {when}.",
                       "Confirmada: tu sesión es el {when}.", "Confirmada: a sua sessão é em {when}."),
    "st_declined": _m("The mentor could not take this session; we are finding another.",
                      "Le mentor ne pouvait pas assurer cette séance ; nous en cherchons un autre.",
                      "El mentor no podía hacer esta sesión; estamos buscando otro.",
                      "O mentor não podia fazer esta sessão; estamos à procura de outro."),
    "st_no_overlap": _m("Your free times did not overlap with the mentor's; we are finding another.",
                        "Vos disponibilités ne croisaient pas celles du mentor ; nous en cherchons un autre.",
                        "Tus horas libres no coincidían con las del mentor; estamos buscando otro.",
                        "Os seus horários não coincidiam com os do mentor; estamos à procura de outro."),
    "st_expired": _m("The mentor did not answer in time; we are finding another.",
                     "Le mentor n'a pas répondu à temps ; nous en cherchons un autre.",
                     "El mentor no respondió a tiempo; estamos buscando otro.",
                     "O mentor não respondeu a tempo; estamos à procura de outro."),
    "st_slot": _m("{name} proposed another time, {when}: answer with the links in your email.",
                  "{name} a proposé un autre horaire, le {when} : répondez avec les liens de votre e-mail.",
                  "{name} ha propuesto otra hora, el {when}: responde con los enlaces de tu correo.",
                  "{name} propôs outro horário, {when}: responda com os links do seu e-mail."),
    "st_moved": _m("Moved: your session is now on {when}.", "Déplacée : votre séance a lieu le {when}.",
                   "Movida: tu sesión es ahora el {when}.", "Mudada: a sua sessão é agora em {when}."),
    "st_cancelled_mentor": _m("The mentor cancelled the session. We are finding another mentor.",
                              "Le mentor a annulé la séance. Nous cherchons un autre mentor.",
                              "El mentor canceló la sesión. Estamos buscando otro mentor.",
                              "O mentor cancelou a sessão. Estamos à procura de outro mentor."),
    "st_cancelled_programme": _m("Your mentor is no longer in the programme, so the session is cancelled. We are "
                                 "finding another mentor.",
                                 "Votre mentor ne fait plus partie du programme : la séance est annulée. Nous "
                                 "cherchons un autre mentor.",
                                 "Tu mentor ya no está en el programa, así que la sesión queda cancelada. Estamos "
                                 "buscando otro mentor.",
                                 "O seu mentor já não está no programa, por isso a sessão foi cancelada. Estamos à "
                                 "procura de outro mentor."),
    "st_cancelled_trainee": _m("You cancelled the session.", "Vous avez annulé la séance.", "Cancelaste la sesión.",
                               "Cancelou a sessão."),
    "st_completed": _m("Your session has taken place. Your mentor will send a critique.",
                       "Votre séance a eu lieu. Votre mentor enverra une critique.",
                       "Tu sesión ya tuvo lugar. Tu mentor enviará una crítica.",
                       "A sua sessão já decorreu. O seu mentor vai enviar uma crítica."),
    "st_critiqued": _m("{name} sent your critique.", "{name} a envoyé votre critique.", "{name} te ha enviado tu crítica.",
                       "{name} enviou a sua crítica."),
    "st_rated": _m("Thank you for rating the session ({rating}/5).", "Merci d'avoir évalué la séance ({rating}/5).",
                   "Gracias por valorar la sesión ({rating}/5).", "Obrigado por avaliar a sessão ({rating}/5)."),
})

# Validation messages, by their English text (what the schemas say) → key.
ERRORS = {
    "Enter an email address like name@example.org.": _m(
        "Enter an email address like name@example.org.", "Saisissez une adresse e-mail comme nom@exemple.org.",
        "Escribe un correo como nombre@ejemplo.org.", "Introduza um e-mail como nome@exemplo.org."),
    "Choose a country from the list.": _m("Choose a country from the list.", "Choisissez un pays dans la liste.",
                                          "Elige un país de la lista.", "Escolha um país da lista."),
    "Choose a time zone such as Africa/Lagos or America/Bogota.": _m(
        "Choose a time zone such as Africa/Lagos or America/Bogota.",
        "Choisissez un fuseau comme Africa/Lagos ou America/Bogota.",
        "Elige una zona horaria como Africa/Lagos o America/Bogota.",
        "Escolha um fuso como Africa/Lagos ou America/Bogota."),
    "Choose at least one language.": _m("Choose at least one language.", "Choisissez au moins une langue.",
                                        "Elige al menos un idioma.", "Escolha pelo menos uma língua."),
    "Give at least one weekly time when you are free.": _m(
        "Give at least one weekly time when you are free.", "Indiquez au moins un créneau hebdomadaire libre.",
        "Indica al menos una franja semanal libre.", "Indique pelo menos um horário semanal livre."),
    "Choose your discipline from the list.": _m("Choose your discipline from the list.",
                                                "Choisissez votre discipline dans la liste.",
                                                "Elige tu disciplina de la lista.", "Escolha a sua disciplina da lista."),
    "Name between 1 and 12 skills you want to work on.": _m(
        "Name between 1 and 12 skills you want to work on.", "Indiquez de 1 à 12 compétences à travailler.",
        "Indica de 1 a 12 habilidades que quieres trabajar.", "Indique de 1 a 12 competências a trabalhar."),
    "Tell the mentor what you want to get better at (10 to 2000 characters).": _m(
        "Tell the mentor what you want to get better at (10 to 2000 characters).",
        "Dites au mentor ce que vous voulez améliorer (10 à 2000 caractères).",
        "Cuéntale al mentor en qué quieres mejorar (de 10 a 2000 caracteres).",
        "Diga ao mentor em que quer melhorar (10 a 2000 caracteres)."),
    "Enter a full link starting with https://, or leave it empty.": _m(
        "Enter a full link starting with https://, or leave it empty.",
        "Saisissez un lien complet commençant par https://, ou laissez vide.",
        "Escribe un enlace completo que empiece por https://, o déjalo vacío.",
        "Introduza um link completo começado por https://, ou deixe vazio."),
    "Tick the consent box to share this, or leave these answers empty.": _m(
        "Tick the consent box to share this, or leave these answers empty.",
        "Cochez la case de consentement pour partager ceci, ou laissez ces réponses vides.",
        "Marca la casilla de consentimiento para compartirlo, o deja estas respuestas vacías.",
        "Marque a caixa de consentimento para partilhar isto, ou deixe estas respostas vazias."),
    "Give both a start and an end time, or neither.": _m(
        "Give both a start and an end time, or neither.", "Indiquez une heure de début et de fin, ou aucune.",
        "Indica hora de inicio y de fin, o ninguna.", "Indique hora de início e de fim, ou nenhuma."),
    "The window must end after it starts.": _m("The window must end after it starts.",
                                               "Le créneau doit finir après son début.",
                                               "La franja debe terminar después de empezar.",
                                               "O horário tem de acabar depois de começar."),
    "Missing data for required field.": _m("This is needed.", "Ce champ est nécessaire.", "Este dato es necesario.",
                                           "Este campo é necessário."),
    "A name cannot contain line breaks or control characters.": _m(
        "A name cannot contain line breaks or control characters.",
        "Un nom ne peut pas contenir de saut de ligne ni de caractère de contrôle.",
        "Un nombre no puede tener saltos de línea ni caracteres de control.",
        "Um nome não pode ter quebras de linha nem caracteres de controlo."),
    # The staff console's policy form (services/matching).
    "The minimum shares add up to more than 1.": _m(
        "The minimum shares add up to more than 1.", "Les parts minimales dépassent 1 au total.",
        "Las cuotas mínimas suman más de 1.", "As quotas mínimas somam mais de 1."),
    "Not a mentor's id.": _m("Not a mentor's id.", "Ce n'est pas l'identifiant d'un mentor.",
                             "No es el identificador de un mentor.", "Não é o identificador de um mentor."),
    "Not a valid number.": _m("Not a valid number.", "Ce n'est pas un nombre valide.", "No es un número válido.",
                              "Não é um número válido."),
    "Must be between 0 and 1.": _m("Must be between 0 and 1.", "Entre 0 et 1.", "Entre 0 y 1.", "Entre 0 e 1."),
    "Must be greater than or equal to 0.0 and less than or equal to 2.0.": _m(
        "Must be greater than or equal to 0.0 and less than or equal to 2.0.", "Entre 0 et 2.", "Entre 0 y 2.",
        "Entre 0 e 2."),
    "Must be greater than or equal to 0.0 and less than or equal to 40.0.": _m(
        "Must be greater than or equal to 0.0 and less than or equal to 40.0.", "Entre 0 et 40.", "Entre 0 y 40.",
        "Entre 0 e 40."),
}


def error(message: str, locale: str) -> str:
    """A validation message in ``locale`` when we have it, else as the schema said it."""
    return ERRORS.get(message, {}).get(locale, message)


def best_locale(accept_language: str) -> str:
    """The language of ours an Accept-Language header prefers, by werkzeug's parser:
    weights respected, ``q=0`` meaning "not this one", ``pt-BR`` served by ``pt`` and
    ``*`` by any we have; English when none fits."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(list(LOCALES), default="en")


def day_name(index: int, locale: str) -> str:
    return _DAYS[locale][index].capitalize()


# Rubric lines, per discipline, as mentors read them.
RUBRIC_TERMS: dict[str, dict[str, str]] = {
    "composition": {"fr": "composition", "es": "composición", "pt": "composição"},
    "exposure": {"fr": "exposition", "es": "exposición", "pt": "exposição"},
    "movement": {"fr": "mouvement", "es": "movimiento", "pt": "movimento"},
    "coverage": {"fr": "couverture", "es": "cobertura", "pt": "cobertura"},
    "clarity": {"fr": "clarté", "es": "claridad", "pt": "clareza"},
    "noise floor": {"fr": "bruit de fond", "es": "ruido de fondo", "pt": "ruído de fundo"},
    "perspective": {"fr": "perspective", "es": "perspectiva", "pt": "perspetiva"},
    "continuity": {"fr": "continuité", "es": "continuidad", "pt": "continuidade"},
    "motivation": {"fr": "motivation", "es": "motivación", "pt": "motivação"},
    "contrast ratio": {"fr": "rapport de contraste", "es": "relación de contraste", "pt": "relação de contraste"},
    "power and safety": {"fr": "puissance et sécurité", "es": "potencia y seguridad", "pt": "potência e segurança"},
    "pacing": {"fr": "rythme", "es": "ritmo", "pt": "ritmo"},
    "story structure": {"fr": "structure du récit", "es": "estructura narrativa", "pt": "estrutura narrativa"},
    "sound edit": {"fr": "montage son", "es": "edición de sonido", "pt": "edição de som"},
    "balance": {"fr": "équilibre", "es": "equilibrio", "pt": "equilíbrio"},
    "contrast": {"fr": "contraste", "es": "contraste", "pt": "contraste"},
    "skin tones": {"fr": "carnations", "es": "tonos de piel", "pt": "tons de pele"},
    "shot-to-shot consistency": {"fr": "cohérence entre plans", "es": "coherencia entre planos",
                                 "pt": "coerência entre planos"},
    "integration": {"fr": "intégration", "es": "integración", "pt": "integração"},
    "tracking": {"fr": "tracking", "es": "tracking", "pt": "tracking"},
    "compositing": {"fr": "compositing", "es": "composición digital", "pt": "composição digital"},
    "render quality": {"fr": "qualité du rendu", "es": "calidad de render", "pt": "qualidade de render"},
    "planning": {"fr": "planification", "es": "planificación", "pt": "planeamento"},
    "budget control": {"fr": "maîtrise du budget", "es": "control del presupuesto", "pt": "controlo do orçamento"},
    "scheduling": {"fr": "plan de travail", "es": "plan de rodaje", "pt": "plano de rodagem"},
    "safety culture": {"fr": "culture de sécurité", "es": "cultura de seguridad", "pt": "cultura de segurança"},
    "risk assessment": {"fr": "évaluation des risques", "es": "evaluación de riesgos", "pt": "avaliação de riscos"},
    "briefings": {"fr": "briefings", "es": "briefings", "pt": "briefings"},
    "equipment checks": {"fr": "vérification du matériel", "es": "revisión del equipo", "pt": "verificação do equipamento"},
    "incident procedure": {"fr": "procédure d'incident", "es": "procedimiento de incidentes", "pt": "procedimento de incidentes"},
    "specification compliance": {"fr": "conformité aux spécifications", "es": "cumplimiento de especificaciones",
                                 "pt": "conformidade com especificações"},
    "quality control": {"fr": "contrôle qualité", "es": "control de calidad", "pt": "controlo de qualidade"},
    "metadata": {"fr": "métadonnées", "es": "metadatos", "pt": "metadados"},
    "backups and redundancy": {"fr": "sauvegardes et redondance", "es": "copias de seguridad y redundancia",
                               "pt": "cópias de segurança e redundância"},
}


def term(criterion: str, locale: str) -> str:
    return RUBRIC_TERMS.get(criterion, {}).get(locale, criterion)


def t(key: str, locale: str, **values) -> str:
    entry = T[key]
    return entry.get(locale, entry["en"]).format(**values)

# Any page, past an abuse limit (HTTP 429).
T.update({
    # A time another session claimed a moment earlier (sessions' atomic claims).
    "slot_taken": {
        "en": "That time was just taken by another session. Please choose one of the times still free.",
        "fr": "Ce créneau vient d'être pris par une autre séance. Merci de choisir l'un des créneaux encore libres.",
        "es": "Otra sesión acaba de ocupar ese horario. Elige uno de los horarios que siguen libres.",
        "pt": "Esse horário acabou de ser ocupado por outra sessão. Escolha um dos horários ainda livres."},
    "too_many_title": {"en": "Too many attempts", "fr": "Trop de tentatives", "es": "Demasiados intentos",
                       "pt": "Demasiadas tentativas"},
    "too_many_body": {
        "en": "We received many requests from you in a short time, so we saved nothing from this one. Please "
              "wait a little and try again.",
        "fr": "Nous avons reçu beaucoup de demandes de votre part en peu de temps, nous n'avons donc rien "
              "enregistré de celle-ci. Merci de patienter un peu avant de réessayer.",
        "es": "Recibimos muchas solicitudes tuyas en poco tiempo, así que no guardamos nada de esta. Espera un "
              "poco y vuelve a intentarlo.",
        "pt": "Recebemos muitos pedidos seus em pouco tempo, por isso não guardámos nada deste. Aguarde um "
              "pouco e tente novamente."},
})

# The mentor's own pages (sign-up, confirmation, manage) and the emails with their links.
T.update({
    "mentor_join_title": _m("Become a Twoshot mentor", "Devenir mentor Twoshot", "Hazte mentor de Twoshot",
                            "Torne-se mentor da Twoshot"),
    "mentor_join_intro": _m(
        "Give an hour now and then to a crew member from an exchange programme. We email you to confirm this address "
        "before your profile goes live; every later change goes through a link we email to you.",
        "Donnez une heure de temps en temps à un membre d'équipe venu d'un programme d'échange. Nous vous écrivons "
        "pour confirmer cette adresse avant que votre profil soit actif ; toute modification passe ensuite par un "
        "lien envoyé par e-mail.",
        "Dedica una hora de vez en cuando a alguien de un equipo de un programa de intercambio. Te escribimos para "
        "confirmar esta dirección antes de activar tu perfil; cada cambio posterior se hace con un enlace que te "
        "enviamos por correo.",
        "Dedique uma hora de vez em quando a alguém de uma equipa de um programa de intercâmbio. Enviamos-lhe um "
        "e-mail para confirmar este endereço antes de o perfil ficar ativo; cada alteração posterior faz-se com uma "
        "ligação que lhe enviamos."),
    "mentor_manage_title": _m("Your mentor profile", "Votre profil de mentor", "Tu perfil de mentor",
                              "O seu perfil de mentor"),
    "mentor_email_fixed": _m("Email (this address names your profile; to use another, sign up again with it)",
                             "E-mail (cette adresse identifie votre profil ; pour en changer, inscrivez-vous avec la "
                             "nouvelle)",
                             "Correo (esta dirección identifica tu perfil; para cambiarla, regístrate con la nueva)",
                             "E-mail (este endereço identifica o seu perfil; para o mudar, inscreva-se com o novo)"),
    "mentor_languages": _m("Languages you can mentor in", "Langues dans lesquelles vous pouvez accompagner",
                           "Idiomas en los que puedes ser mentor", "Línguas em que pode ser mentor"),
    "mentor_disciplines": _m("Disciplines you mentor", "Disciplines que vous accompagnez", "Disciplinas que enseñas",
                             "Disciplinas que acompanha"),
    "mentor_skills": _m("Skills you can mentor, with your level (1 = some, 5 = expert)",
                        "Compétences que vous pouvez transmettre, avec votre niveau (1 = un peu, 5 = expert)",
                        "Habilidades que puedes enseñar, con tu nivel (1 = algo, 5 = experto)",
                        "Competências que pode ensinar, com o seu nível (1 = alguma, 5 = especialista)"),
    "mentor_skill": _m("Skill {n}", "Compétence {n}", "Habilidad {n}", "Competência {n}"),
    "mentor_level": _m("Level of skill {n}", "Niveau de la compétence {n}", "Nivel de la habilidad {n}",
                       "Nível da competência {n}"),
    "mentor_bio": _m("A few lines about your work (trainees read this)",
                     "Quelques lignes sur votre travail (les stagiaires les lisent)",
                     "Unas líneas sobre tu trabajo (las leen quienes se forman)",
                     "Algumas linhas sobre o seu trabalho (os formandos leem-nas)"),
    "mentor_capacity": _m("Sessions a month you can give", "Séances par mois que vous pouvez donner",
                          "Sesiones al mes que puedes dar", "Sessões por mês que pode dar"),
    "mentor_availability": _m("When are you free each week? (your local time)",
                              "Quand êtes-vous disponible chaque semaine ? (heure locale)",
                              "¿Cuándo tienes tiempo cada semana? (hora local)",
                              "Quando está disponível todas as semanas? (hora local)"),
    "mentor_join_submit": _m("Sign up", "M'inscrire", "Registrarme", "Inscrever-me"),
    "mentor_inbox_title": _m("Check your inbox", "Consultez votre boîte mail", "Revisa tu correo",
                             "Consulte o seu e-mail"),
    "mentor_inbox_body": _m(
        "We have sent a link to the address you gave. Follow it within 7 days to confirm. If you already have a "
        "profile, the email has a link to manage it instead.",
        "Nous avons envoyé un lien à l'adresse indiquée. Suivez-le dans les 7 jours pour confirmer. Si vous avez déjà "
        "un profil, l'e-mail contient plutôt un lien pour le gérer.",
        "Enviamos un enlace a la dirección que diste. Síguelo en 7 días para confirmar. Si ya tienes un perfil, el "
        "correo trae en cambio un enlace para gestionarlo.",
        "Enviámos uma ligação para o endereço indicado. Siga-a no prazo de 7 dias para confirmar. Se já tem perfil, "
        "o e-mail traz antes uma ligação para o gerir."),
    "mentor_confirm_title": _m("Confirm your sign-up", "Confirmez votre inscription", "Confirma tu registro",
                               "Confirme a sua inscrição"),
    "mentor_confirm_body": _m("Press the button to confirm this address and make your profile live.",
                              "Appuyez sur le bouton pour confirmer cette adresse et activer votre profil.",
                              "Pulsa el botón para confirmar esta dirección y activar tu perfil.",
                              "Carregue no botão para confirmar este endereço e ativar o seu perfil."),
    "mentor_confirm_button": _m("Confirm", "Confirmer", "Confirmar", "Confirmar"),
    "mentor_live_title": _m("Your profile is live", "Votre profil est actif", "Tu perfil está activo",
                            "O seu perfil está ativo"),
    "mentor_live_body": _m(
        "Thank you. You will get an email when a trainee is matched with you. Every email we send you has a link to "
        "manage your profile.",
        "Merci. Vous recevrez un e-mail quand un stagiaire vous sera proposé. Chaque e-mail que nous vous envoyons "
        "contient un lien pour gérer votre profil.",
        "Gracias. Recibirás un correo cuando te asignemos a alguien. Cada correo que te enviamos trae un enlace para "
        "gestionar tu perfil.",
        "Obrigado. Receberá um e-mail quando lhe for atribuído um formando. Cada e-mail que lhe enviamos traz uma "
        "ligação para gerir o seu perfil."),
    "mentor_gone": _m("There is no profile for this link any more.", "Ce lien ne correspond plus à aucun profil.",
                      "Este enlace ya no corresponde a ningún perfil.", "Esta ligação já não corresponde a nenhum perfil."),
    "manage_link": _m("Manage my profile", "Gérer mon profil", "Gestionar mi perfil", "Gerir o meu perfil"),
    "manage_link_note": _m("Pause invitations, edit your profile or erase your data: {url}",
                           "Suspendre les invitations, modifier votre profil ou effacer vos données : {url}",
                           "Pausar invitaciones, editar tu perfil o borrar tus datos: {url}",
                           "Pausar convites, editar o perfil ou apagar os seus dados: {url}"),
    "manage_save": _m("Save changes", "Enregistrer", "Guardar cambios", "Guardar alterações"),
    "manage_pause": _m("Pause invitations (holidays)", "Suspendre les invitations (congés)",
                       "Pausar invitaciones (vacaciones)", "Pausar convites (férias)"),
    "manage_resume": _m("Resume invitations", "Reprendre les invitations", "Reanudar invitaciones",
                        "Retomar convites"),
    "manage_is_paused": _m("Invitations are paused: nobody is matched with you until you resume.",
                           "Les invitations sont suspendues : personne ne vous est proposé avant la reprise.",
                           "Las invitaciones están en pausa: nadie te será asignado hasta que las reanudes.",
                           "Os convites estão em pausa: ninguém lhe é atribuído até os retomar."),
    "manage_withdraw": _m("Withdraw my answers about me", "Retirer mes réponses me concernant",
                          "Retirar mis respuestas sobre mí", "Retirar as minhas respostas sobre mim"),
    "manage_paused": _m("Paused. No new invitations until you resume.", "Suspendu. Plus d'invitation avant la reprise.",
                        "En pausa. No habrá invitaciones hasta que reanudes.", "Em pausa. Sem convites até retomar."),
    "manage_resumed": _m("Resumed. You can be matched again.", "Repris. Vous pouvez de nouveau être proposé.",
                         "Reanudado. Ya pueden asignarte de nuevo.", "Retomado. Pode voltar a ser atribuído."),
    "manage_withdrawn": _m("Your answers about you were removed.", "Vos réponses vous concernant ont été retirées.",
                           "Tus respuestas sobre ti se han retirado.", "As suas respostas sobre si foram retiradas."),
    "manage_saved": _m("Saved.", "Enregistré.", "Guardado.", "Guardado."),
    "link_problem_title": _m("This link cannot be used", "Ce lien ne peut pas être utilisé",
                             "Este enlace no se puede usar", "Esta ligação não pode ser usada"),
    "link_expired": _m("This link has expired. Sign up again, or ask for a new link from the sign-up page.",
                       "Ce lien a expiré. Inscrivez-vous de nouveau pour en recevoir un autre.",
                       "Este enlace ha caducado. Regístrate de nuevo para recibir otro.",
                       "Esta ligação expirou. Inscreva-se de novo para receber outra."),
    "link_invalid": _m("This link is not valid. Use the link from your most recent email, in full.",
                       "Ce lien n'est pas valide. Utilisez le lien complet de votre dernier e-mail.",
                       "Este enlace no es válido. Usa el enlace completo de tu último correo.",
                       "Esta ligação não é válida. Use a ligação completa do seu último e-mail."),
    "link_superseded": _m(
        "This link was replaced by a newer one, or all your links were withdrawn. Use the link in your most recent "
        "email, or ask for a new one on the sign-up page.",
        "Ce lien a été remplacé par un plus récent, ou tous vos liens ont été retirés. Utilisez le lien de votre "
        "dernier e-mail, ou demandez-en un nouveau sur la page d'inscription.",
        "Este enlace fue sustituido por uno más reciente, o se retiraron todos tus enlaces. Usa el enlace de tu "
        "último correo o pide uno nuevo en la página de registro.",
        "Esta ligação foi substituída por uma mais recente, ou todas as suas ligações foram retiradas. Use a "
        "ligação do seu último e-mail ou peça uma nova na página de inscrição."),
    "links_revoke_title": _m("Withdraw every link to this page", "Retirer tous les liens vers cette page",
                             "Retirar todos los enlaces a esta página", "Retirar todas as ligações para esta página"),
    "links_revoke_explain": _m(
        "If an email with your link was forwarded or seen by someone else, withdraw every link. You can ask for a "
        "new one on the sign-up page with your address.",
        "Si un e-mail contenant votre lien a été transféré ou vu par quelqu'un d'autre, retirez tous les liens. "
        "Vous pourrez en demander un nouveau sur la page d'inscription avec votre adresse.",
        "Si un correo con tu enlace se reenvió o lo vio otra persona, retira todos los enlaces. Puedes pedir uno "
        "nuevo en la página de registro con tu dirección.",
        "Se um e-mail com a sua ligação foi reencaminhado ou visto por outra pessoa, retire todas as ligações. "
        "Pode pedir uma nova na página de inscrição com o seu endereço."),
    "links_revoke_button": _m("Withdraw all my links", "Retirer tous mes liens", "Retirar todos mis enlaces",
                              "Retirar todas as minhas ligações"),
    "links_revoked_title": _m("Your links were withdrawn", "Vos liens ont été retirés", "Se retiraron tus enlaces",
                              "As suas ligações foram retiradas"),
    "links_revoked_body": _m(
        "No link sent to you before now opens your profile any more. Ask for a new one on the sign-up page.",
        "Aucun lien envoyé avant maintenant n'ouvre plus votre profil. Demandez-en un nouveau sur la page "
        "d'inscription.",
        "Ningún enlace enviado antes de ahora abre ya tu perfil. Pide uno nuevo en la página de registro.",
        "Nenhuma ligação enviada antes de agora abre já o seu perfil. Peça uma nova na página de inscrição."),
    "signup_erased_title": _m("This address was erased recently", "Cette adresse a été effacée récemment",
                              "Esta dirección se borró hace poco", "Este endereço foi apagado há pouco"),
    "signup_erased_body": _m(
        "Everything about this address was erased from Twoshot in the last seven days, and for those seven days we "
        "cannot start a new profile with it. Nothing you typed was kept. Please sign up again after {date}.",
        "Tout ce qui concernait cette adresse a été effacé de Twoshot ces sept derniers jours ; pendant ces sept "
        "jours, nous ne pouvons pas créer de nouveau profil avec elle. Rien de ce que vous avez saisi n'a été "
        "conservé. Inscrivez-vous de nouveau après le {date}.",
        "Todo lo relativo a esta dirección se borró de Twoshot en los últimos siete días y, durante esos siete "
        "días, no podemos crear un perfil nuevo con ella. No se guardó nada de lo que escribiste. Vuelve a "
        "registrarte después del {date}.",
        "Tudo o que dizia respeito a este endereço foi apagado da Twoshot nos últimos sete dias e, durante esses "
        "sete dias, não podemos criar um novo perfil com ele. Nada do que escreveu foi guardado. Inscreva-se de "
        "novo depois de {date}."),
    "confirm_subject": _m("Confirm your Twoshot mentor sign-up", "Confirmez votre inscription de mentor Twoshot",
                          "Confirma tu registro como mentor de Twoshot",
                          "Confirme a sua inscrição como mentor da Twoshot"),
    "confirm_body": _m("Someone, we hope you, signed up as a Twoshot mentor with this address. Confirm it within 7 "
                       "days to make your profile live. If it was not you, ignore this email: nothing goes live.",
                       "Quelqu'un, vous sans doute, s'est inscrit comme mentor Twoshot avec cette adresse. Confirmez "
                       "dans les 7 jours pour activer le profil. Si ce n'était pas vous, ignorez cet e-mail : rien ne "
                       "sera activé.",
                       "Alguien, esperamos que tú, se registró como mentor de Twoshot con esta dirección. Confírmalo "
                       "en 7 días para activar el perfil. Si no fuiste tú, ignora este correo: no se activará nada.",
                       "Alguém, esperamos que o próprio, inscreveu-se como mentor da Twoshot com este endereço. "
                       "Confirme no prazo de 7 dias para ativar o perfil. Se não foi o próprio, ignore este e-mail: "
                       "nada fica ativo."),
    "confirm_button": _m("Confirm my sign-up", "Confirmer mon inscription", "Confirmar mi registro",
                         "Confirmar a minha inscrição"),
    "manage_subject": _m("Your Twoshot mentor profile", "Votre profil de mentor Twoshot", "Tu perfil de mentor de Twoshot",
                         "O seu perfil de mentor da Twoshot"),
    "manage_body": _m("Someone asked to sign up with this address, which already has a mentor profile. Nothing was "
                      "changed. To edit or pause your profile, use this link.",
                      "Quelqu'un a demandé une inscription avec cette adresse, qui a déjà un profil de mentor. Rien n'a "
                      "été modifié. Pour modifier ou suspendre votre profil, utilisez ce lien.",
                      "Alguien pidió registrarse con esta dirección, que ya tiene un perfil de mentor. No se cambió "
                      "nada. Para editar o pausar tu perfil, usa este enlace.",
                      "Alguém pediu uma inscrição com este endereço, que já tem um perfil de mentor. Nada foi alterado. "
                      "Para editar ou pausar o seu perfil, use esta ligação."),
})

# Erasure (GDPR art. 17), from the status page, the manage page or staff.
T.update({
    "erase_title": _m("Erase my data", "Effacer mes données", "Borrar mis datos", "Apagar os meus dados"),
    "erase_explain": _m(
        "Every Twoshot service forgets you within a minute: your profile or request, sessions, critiques, emails "
        "waiting to be sent and the answers about you. A session already booked is cancelled and the other person "
        "told. This cannot be undone.",
        "Chaque service Twoshot vous oublie en moins d'une minute : votre profil ou demande, séances, critiques, "
        "e-mails en attente et réponses vous concernant. Une séance déjà réservée est annulée et l'autre personne "
        "prévenue. C'est définitif.",
        "Cada servicio de Twoshot te olvida en menos de un minuto: tu perfil o solicitud, sesiones, críticas, "
        "correos pendientes y las respuestas sobre ti. Una sesión ya reservada se cancela y se avisa a la otra "
        "persona. No se puede deshacer.",
        "Cada serviço da Twoshot esquece-o em menos de um minuto: o seu perfil ou pedido, sessões, críticas, e-mails "
        "por enviar e as respostas sobre si. Uma sessão já marcada é cancelada e a outra pessoa avisada. Não pode "
        "ser desfeito."),
    "erase_confirm": _m("Yes, erase everything about me", "Oui, effacer tout ce qui me concerne",
                        "Sí, borrar todo lo mío", "Sim, apagar tudo o que me diz respeito"),
    "erase_button": _m("Erase my data", "Effacer mes données", "Borrar mis datos", "Apagar os meus dados"),
    "erase_confirm_needed": _m("Tick the box to confirm the erasure.", "Cochez la case pour confirmer l'effacement.",
                               "Marca la casilla para confirmar el borrado.",
                               "Assinale a caixa para confirmar o apagamento."),
    "erased_title": _m("Your data is being erased", "Vos données sont en cours d'effacement",
                       "Tus datos se están borrando", "Os seus dados estão a ser apagados"),
    "erased_body": _m("Within a minute no Twoshot service holds your name, address or anything you told us.",
                      "D'ici une minute, aucun service Twoshot ne conservera votre nom, votre adresse ni rien de ce "
                      "que vous nous avez dit.",
                      "En un minuto ningún servicio de Twoshot guardará tu nombre, tu dirección ni nada de lo que "
                      "nos contaste.",
                      "Dentro de um minuto nenhum serviço da Twoshot guardará o seu nome, endereço ou o que nos "
                      "disse."),
})

# Disciplines, as a sentence names them ("une séance de critique en montage").
DISCIPLINE_NAMES: dict[str, dict[str, str]] = {
    "camera": _m("camera", "prise de vue", "cámara", "câmara"),
    "lighting": _m("lighting", "éclairage", "iluminación", "iluminação"),
    "sound": _m("sound", "son", "sonido", "som"),
    "editing": _m("editing", "montage", "montaje", "montagem"),
    "colour": _m("colour", "étalonnage", "color", "cor"),
    "vfx": _m("VFX", "effets visuels", "efectos visuales", "efeitos visuais"),
    "production": _m("production", "production", "producción", "produção"),
    "safety": _m("safety", "sécurité", "seguridad", "segurança"),
    "delivery": _m("delivery", "livraison", "entrega", "entrega"),
}


def discipline(code: str, locale: str, capital: bool = False) -> str:
    """A discipline's name in ``locale`` (its code when we have no name for it)."""
    name = DISCIPLINE_NAMES.get(code, {}).get(locale, code)
    return name[:1].upper() + name[1:] if capital else name


def disciplines(locale: str) -> dict[str, str]:
    """Code → name, for a form's choices, in ``locale``'s alphabetical order."""
    names = {code: discipline(code, locale, capital=True) for code in DISCIPLINE_NAMES}
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))

# Why two people were matched (services.matching.explain), for each of them.
T.update({
    "why_title": _m("Why you were matched", "Pourquoi vous avez été mis en relation", "Por qué os hemos emparejado",
                    "Porque foram emparelhados"),
    "why_skill_trainee": _m("{name} mentors {skills}, what you asked to work on.",
                            "{name} accompagne en {skills}, ce que vous souhaitez travailler.",
                            "{name} enseña {skills}, lo que quieres trabajar.",
                            "{name} ensina {skills}, o que pediu para trabalhar."),
    "why_skill_mentor": _m("{name} wants to work on {skills}, which you mentor.",
                           "{name} souhaite travailler {skills}, que vous accompagnez.",
                           "{name} quiere trabajar {skills}, que tú enseñas.",
                           "{name} quer trabalhar {skills}, que ensina."),
    "why_discipline_trainee": _m("{name} mentors in {discipline}, your discipline.",
                                 "{name} accompagne en {discipline}, votre discipline.",
                                 "{name} es mentor de {discipline}, tu disciplina.",
                                 "{name} é mentor de {discipline}, a sua disciplina."),
    "why_discipline_mentor": _m("{name} works in {discipline}, which you mentor.",
                                "{name} travaille en {discipline}, que vous accompagnez.",
                                "{name} trabaja en {discipline}, que tú enseñas.",
                                "{name} trabalha em {discipline}, que ensina."),
    "why_level_trainee": _m("{name} rates their own level in these skills {level} out of 5.",
                            "{name} évalue son niveau dans ces compétences à {level} sur 5.",
                            "{name} valora su nivel en estas habilidades con {level} de 5.",
                            "{name} avalia o seu nível nestas competências em {level} de 5."),
    "why_level_mentor": _m("Your level in these skills: {level} out of 5.",
                           "Votre niveau dans ces compétences : {level} sur 5.",
                           "Tu nivel en estas habilidades: {level} de 5.",
                           "O seu nível nestas competências: {level} de 5."),
    "why_language_first_trainee": _m("{name} mentors in {language}, your first language.",
                                     "{name} accompagne en {language}, votre première langue.",
                                     "{name} enseña en {language}, tu primer idioma.",
                                     "{name} ensina em {language}, a sua primeira língua."),
    "why_language_trainee": _m("{name} mentors in {language}, a language you speak.",
                               "{name} accompagne en {language}, une langue que vous parlez.",
                               "{name} enseña en {language}, un idioma que hablas.",
                               "{name} ensina em {language}, uma língua que fala."),
    "why_language_mentor": _m("You both speak {language}.", "Vous parlez tous deux {language}.",
                              "Los dos habláis {language}.", "Ambos falam {language}."),
    # CLDR's "one" form (1 in English; 0 and 1 in French and Portuguese), chosen by Babel.
    "why_availability_one": _m("You share {hours} free hour a week.",
                               "Vous avez {hours} heure libre en commun par semaine.",
                               "Compartís {hours} hora libre a la semana.",
                               "Têm {hours} hora livre em comum por semana."),
    "why_availability": _m("You share {hours} free hours a week.",
                           "Vous avez {hours} heures libres en commun par semaine.",
                           "Compartís {hours} horas libres a la semana.",
                           "Têm {hours} horas livres em comum por semana."),
    "why_region_same": _m("You both work in the same region.", "Vous travaillez tous deux dans la même région.",
                          "Los dos trabajáis en la misma región.", "Ambos trabalham na mesma região."),
    "why_region_cross_trainee": _m("{name} works in {country}: an exchange across borders.",
                                   "{name} travaille en {country} : un échange par-delà les frontières.",
                                   "{name} trabaja en {country}: un intercambio entre países.",
                                   "{name} trabalha em {country}: um intercâmbio entre países."),
    "why_region_cross_mentor": _m("An exchange across borders, as the programme wants.",
                                  "Un échange par-delà les frontières, comme le souhaite le programme.",
                                  "Un intercambio entre países, como quiere el programa.",
                                  "Um intercâmbio entre países, como o programa pretende."),
})


def reasons(why: list[dict], audience: str, locale: str, other: str) -> list[str]:
    """The reasons a match was made, as sentences for ``audience`` ("trainee" or
    "mentor"), ``other`` being the other person's name."""
    out = []
    for reason in why:
        code, params = reason.get("code", ""), dict(reason.get("params") or {})
        key = {"skill": f"why_skill_{audience}", "discipline": f"why_discipline_{audience}",
               "level": f"why_level_{audience}", "availability": "why_availability",
               "region_same": "why_region_same", "region_cross": f"why_region_cross_{audience}",
               "language": ("why_language_first_trainee" if params.get("first") else "why_language_trainee")
               if audience == "trainee" else "why_language_mentor"}.get(code)
        if key is None or key not in T:
            continue
        if "skills" in params:
            params["skills"] = ", ".join(params["skills"])
        if "discipline" in params:
            params["discipline"] = discipline(params["discipline"], locale)
        if "language" in params:
            params["language"] = language_name(params["language"], locale)
        if "country" in params:
            params["country"] = country_name(params["country"], locale)
        if isinstance(params.get("hours"), int | float):
            if Locale.parse(locale).plural_form(params["hours"]) == "one":
                key += "_one"
            params["hours"] = format_decimal(params["hours"], locale=locale)    # 1,5 in French
        out.append(t(key, locale, name=other, **params))
    return out


# Mentorships: the pair that meets on (services.sessions.mentoring), their emails, pages
# and the trainee's status page.
T.update({
    "mentoring_page": _m("Your mentoring page", "Votre page de mentorat", "Tu página de mentoría",
                         "A sua página de mentoria"),
    "mentoring_footer_trainee": _m(
        "Your mentoring page, to book your next session and read every critique: {url}",
        "Votre page de mentorat, pour réserver la prochaine séance et relire chaque critique : {url}",
        "Tu página de mentoría, para reservar la próxima sesión y leer cada crítica: {url}",
        "A sua página de mentoria, para marcar a próxima sessão e ler cada crítica: {url}"),
    "mentoring_footer_mentor": _m(
        "Your page for this mentee, with every session and critique: {url}",
        "Votre page pour ce mentoré, avec chaque séance et chaque critique : {url}",
        "Tu página para esta persona, con cada sesión y cada crítica: {url}",
        "A sua página para este formando, com cada sessão e cada crítica: {url}"),
    "st_mentoring": _m(
        "Your mentorship with {name} has begun; it runs until {when}. Book your next sessions and read every "
        "critique on your mentoring page.",
        "Votre mentorat avec {name} a commencé ; il dure jusqu'au {when}. Réservez vos prochaines séances et "
        "relisez chaque critique sur votre page de mentorat.",
        "Tu mentoría con {name} ha comenzado; dura hasta el {when}. Reserva tus próximas sesiones y lee cada "
        "crítica en tu página de mentoría.",
        "A sua mentoria com {name} começou; dura até {when}. Marque as próximas sessões e leia cada crítica na "
        "sua página de mentoria."),
    "st_ended_trainee": _m("You ended your mentorship with {name}.", "Vous avez mis fin à votre mentorat avec {name}.",
                           "Terminaste tu mentoría con {name}.", "Terminou a sua mentoria com {name}."),
    "st_ended_mentor": _m("{name} ended the mentorship.", "{name} a mis fin au mentorat.",
                          "{name} terminó la mentoría.", "{name} terminou a mentoria."),
    "st_ended_term": _m("Your mentorship with {name} reached the end of its term.",
                        "Votre mentorat avec {name} est arrivé au terme prévu.",
                        "Tu mentoría con {name} llegó al final de su plazo.",
                        "A sua mentoria com {name} chegou ao fim do prazo."),
    "st_ended_programme": _m("The programme ended your mentorship with {name}.",
                             "Le programme a mis fin à votre mentorat avec {name}.",
                             "El programa terminó tu mentoría con {name}.",
                             "O programa terminou a sua mentoria com {name}."),
    "st_ended_rematch": _m(
        "Your mentorship with {name} has ended; we are finding you a new mentor. Your history stays on your "
        "mentoring page.",
        "Votre mentorat avec {name} est terminé ; nous vous cherchons un nouveau mentor. Votre historique reste "
        "sur votre page de mentorat.",
        "Tu mentoría con {name} ha terminado; te estamos buscando un nuevo mentor. Tu historial sigue en tu "
        "página de mentoría.",
        "A sua mentoria com {name} terminou; estamos à procura de um novo mentor. O seu histórico fica na sua "
        "página de mentoria."),
    "book_next": _m("Book the next session", "Réserver la prochaine séance", "Reservar la próxima sesión",
                    "Marcar a próxima sessão"),
    "fu_declined_subject": _m("{other} cannot make {when}", "{other} n'est pas disponible le {when}",
                              "{other} no puede el {when}", "{other} não pode em {when}"),
    "fu_proposed_body": _m(
        "{other} proposes your next session on {when}. Does it suit you?",
        "{other} propose votre prochaine séance le {when}. Cela vous convient-il ?",
        "{other} propone tu próxima sesión el {when}. ¿Te viene bien?",
        "{other} propõe a sua próxima sessão em {when}. Serve-lhe?"),
    "fu_declined_body": _m(
        "{other} could not take the session on {when}. Choose another time on your mentoring page.",
        "{other} n'a pas pu assurer la séance du {when}. Choisissez un autre créneau sur votre page de mentorat.",
        "{other} no pudo hacer la sesión del {when}. Elige otro horario en tu página de mentoría.",
        "{other} não pôde fazer a sessão de {when}. Escolha outro horário na sua página de mentoria."),
    "ended_subject": _m("Your mentorship with {other} has ended", "Votre mentorat avec {other} est terminé",
                        "Tu mentoría con {other} ha terminado", "A sua mentoria com {other} terminou"),
    "ended_body_self": _m("You ended your mentorship with {other}. Thank you for the time you gave it.",
                          "Vous avez mis fin à votre mentorat avec {other}. Merci pour le temps que vous y avez "
                          "consacré.",
                          "Terminaste tu mentoría con {other}. Gracias por el tiempo que le dedicaste.",
                          "Terminou a sua mentoria com {other}. Obrigado pelo tempo que lhe dedicou."),
    "ended_body_other": _m("{other} ended your mentorship.", "{other} a mis fin à votre mentorat.",
                           "{other} terminó vuestra mentoría.", "{other} terminou a vossa mentoria."),
    "ended_body_term": _m(
        "Your mentorship with {other} has reached the end of its term. Thank you both: your sessions and "
        "critiques stay on your mentoring page.",
        "Votre mentorat avec {other} est arrivé à son terme. Merci à vous deux : vos séances et critiques restent "
        "sur votre page de mentorat.",
        "Tu mentoría con {other} ha llegado al final de su plazo. Gracias a los dos: vuestras sesiones y críticas "
        "siguen en tu página de mentoría.",
        "A sua mentoria com {other} chegou ao fim do prazo. Obrigado aos dois: as sessões e críticas ficam na sua "
        "página de mentoria."),
    "ended_body_programme": _m("The programme ended your mentorship with {other}.",
                               "Le programme a mis fin à votre mentorat avec {other}.",
                               "El programa terminó tu mentoría con {other}.",
                               "O programa terminou a sua mentoria com {other}."),
    "ended_reason": _m("Their reason: {reason}", "Sa raison : {reason}", "Su motivo: {reason}",
                       "O motivo: {reason}"),
    "ended_rematch": _m("We are finding you a new mentor (not the same one) and will write when they accept.",
                        "Nous vous cherchons un nouveau mentor (pas le même) et vous écrirons dès qu'il acceptera.",
                        "Te estamos buscando un nuevo mentor (no el mismo) y te escribiremos cuando acepte.",
                        "Estamos à procura de um novo mentor (não o mesmo) e escrevemos quando ele aceitar."),
    "nudge_subject": _m("Time for your next session with {other}?", "Prochaine séance avec {other} ?",
                        "¿Tu próxima sesión con {other}?", "Próxima sessão com {other}?"),
    "nudge_body": _m("Your last session with {other} was {weeks} weeks ago and nothing is booked yet. Choose a "
                     "time in one click.",
                     "Votre dernière séance avec {other} remonte à {weeks} semaines et rien n'est encore réservé. "
                     "Choisissez un créneau en un clic.",
                     "Tu última sesión con {other} fue hace {weeks} semanas y aún no hay nada reservado. Elige un "
                     "horario con un clic.",
                     "A sua última sessão com {other} foi há {weeks} semanas e ainda não há nada marcado. Escolha "
                     "um horário com um clique."),
    # The mentoring pages (sessions service).
    "mp_title": _m("Mentoring with {other}", "Mentorat avec {other}", "Mentoría con {other}",
                   "Mentoria com {other}"),
    "mp_term": _m("Active until {when}.", "Actif jusqu'au {when}.", "Activa hasta el {when}.",
                  "Ativa até {when}."),
    "mp_state_paused": _m("Paused: no new sessions until you resume it.",
                          "En pause : aucune nouvelle séance avant la reprise.",
                          "En pausa: no hay sesiones nuevas hasta que la reanudes.",
                          "Em pausa: não há sessões novas até a retomar."),
    "mp_state_ended": _m("Ended on {when}.", "Terminé le {when}.", "Terminada el {when}.", "Terminada em {when}."),
    "mp_book": _m("Book the next session", "Réserver la prochaine séance", "Reservar la próxima sesión",
                  "Marcar a próxima sessão"),
    "mp_book_hint": _m("Times you and {other} are both free, in your time zone ({tz}). {other} is invited and "
                       "confirms.",
                       "Créneaux où vous et {other} êtes libres, dans votre fuseau ({tz}). {other} reçoit "
                       "l'invitation et confirme.",
                       "Horarios en que tú y {other} estáis libres, en tu zona horaria ({tz}). {other} recibe la "
                       "invitación y confirma.",
                       "Horários em que você e {other} estão livres, no seu fuso ({tz}). {other} recebe o convite "
                       "e confirma."),
    "mp_no_times": _m("No common free time in the coming weeks. Widen your availability, or write to the "
                      "programme.",
                      "Aucun créneau commun dans les semaines à venir. Élargissez vos disponibilités ou écrivez au "
                      "programme.",
                      "No hay horarios comunes en las próximas semanas. Amplía tu disponibilidad o escribe al "
                      "programa.",
                      "Não há horários comuns nas próximas semanas. Alargue a sua disponibilidade ou escreva ao "
                      "programa."),
    "mp_booked": _m("Booked: {other} is invited for {when}. You will get an email when they answer.",
                    "Réservé : {other} est invité le {when}. Vous recevrez un e-mail dès sa réponse.",
                    "Reservado: {other} está invitado el {when}. Recibirás un correo cuando responda.",
                    "Marcado: {other} foi convidado para {when}. Receberá um e-mail quando responder."),
    "mp_sessions": _m("Sessions", "Séances", "Sesiones", "Sessões"),
    "mp_session_state": _m("{when}: {state}", "{when} : {state}", "{when}: {state}", "{when}: {state}"),
    "mp_scores": _m("Scores over time", "Notes au fil du temps", "Puntuaciones a lo largo del tiempo",
                    "Pontuações ao longo do tempo"),
    "mp_updates": _m("Technical updates", "Mises à jour techniques", "Actualizaciones técnicas",
                     "Atualizações técnicas"),
    "mp_addressed": _m("addressed", "traité", "resuelto", "resolvido"),
    "mp_mark_addressed": _m("Mark as addressed", "Marquer comme traité", "Marcar como resuelto",
                            "Marcar como resolvido"),
    "mp_unmark_addressed": _m("Mark as still open", "Marquer comme encore ouvert", "Marcar como pendiente",
                              "Marcar como pendente"),
    "mp_cadence": _m("Propose the next session after each critique", "Proposer la séance suivante après chaque "
                     "critique", "Proponer la siguiente sesión tras cada crítica",
                     "Propor a sessão seguinte depois de cada crítica"),
    "mp_cadence_none": _m("No, we book each one", "Non, nous réservons chaque séance",
                          "No, reservamos cada una", "Não, marcamos cada uma"),
    "mp_cadence_weeks": _m("Every {n} weeks", "Toutes les {n} semaines", "Cada {n} semanas", "A cada {n} semanas"),
    "mp_save": _m("Save", "Enregistrer", "Guardar", "Guardar"),
    "mp_pause": _m("Pause the mentorship", "Mettre le mentorat en pause", "Pausar la mentoría",
                   "Pausar a mentoria"),
    "mp_resume": _m("Resume the mentorship", "Reprendre le mentorat", "Reanudar la mentoría",
                    "Retomar a mentoria"),
    "mp_end": _m("End the mentorship", "Mettre fin au mentorat", "Terminar la mentoría", "Terminar a mentoria"),
    "mp_end_reason": _m("Why (the programme reads this)", "Pourquoi (le programme le lit)",
                        "Por qué (el programa lo lee)", "Porquê (o programa lê)"),
    "mp_end_share": _m("Share my reason with {other} too", "Partager aussi ma raison avec {other}",
                       "Compartir también mi motivo con {other}", "Partilhar também o motivo com {other}"),
    "mp_end_rematch": _m("Find me a new mentor (not {other})", "Me trouver un nouveau mentor (pas {other})",
                         "Buscarme un nuevo mentor (no {other})", "Procurar-me um novo mentor (não {other})"),
    "mp_ended_done": _m("The mentorship has ended. {other} has been told.",
                        "Le mentorat est terminé. {other} a été prévenu.",
                        "La mentoría ha terminado. Se lo hemos dicho a {other}.",
                        "A mentoria terminou. {other} foi avisado."),
    "mp_saved": _m("Saved.", "Enregistré.", "Guardado.", "Guardado."),
    "mp_previous": _m("Earlier mentorship with {other}", "Mentorat précédent avec {other}",
                      "Mentoría anterior con {other}", "Mentoria anterior com {other}"),
    "mp_equipment": _m("Equipment or software", "Matériel ou logiciel", "Equipo o software",
                       "Equipamento ou software"),
    "mp_setting": _m("Setting", "Réglage", "Ajuste", "Configuração"),
    "mp_value": _m("Recommended value or practice", "Valeur ou pratique recommandée",
                   "Valor o práctica recomendada", "Valor ou prática recomendada"),
    "mp_link": _m("Link", "Lien", "Enlace", "Ligação"),
    "mp_date": _m("Date", "Date", "Fecha", "Data"),
    "state_invited": _m("invited, waiting for an answer", "invitation envoyée, en attente de réponse",
                        "invitación enviada, esperando respuesta", "convite enviado, à espera de resposta"),
    "state_slot_proposed": _m("another time proposed", "autre créneau proposé", "otro horario propuesto",
                              "outro horário proposto"),
    "state_confirmed": _m("confirmed", "confirmée", "confirmada", "confirmada"),
    "state_completed": _m("held", "a eu lieu", "realizada", "realizada"),
    "state_declined": _m("declined", "refusée", "rechazada", "recusada"),
    "state_expired": _m("not answered in time", "sans réponse à temps", "sin respuesta a tiempo",
                        "sem resposta a tempo"),
    "state_cancelled": _m("cancelled", "annulée", "cancelada", "cancelada"),
})

T.update({
    "page_updates_hint": _m(
        "Optional: camera settings, codecs, LUTs, HDR practice. The trainee keeps them as a running list.",
        "Facultatif : réglages caméra, codecs, LUT, pratique HDR. Le mentoré les garde dans une liste suivie.",
        "Opcional: ajustes de cámara, códecs, LUT, práctica HDR. La persona las conserva en una lista.",
        "Opcional: definições de câmara, codecs, LUT, prática HDR. O formando guarda-as numa lista."),
})

# The mentor's page of every mentee (sessions service).
T.update({
    "mt_title": _m("Your mentees", "Vos mentorés", "Tus personas mentorizadas", "Os seus formandos"),
    "mt_state_active": _m("active", "actif", "activa", "ativa"),
    "mt_state_paused": _m("paused", "en pause", "en pausa", "em pausa"),
    "mt_state_ended": _m("ended", "terminé", "terminada", "terminada"),
    "mt_next": _m("Next session: {when}", "Prochaine séance : {when}", "Próxima sesión: {when}",
                  "Próxima sessão: {when}"),
    "survey_ask": _m("Two minutes, three questions: how did it go? Only the programme team reads your answers.",
                     "Deux minutes, trois questions : comment cela s'est-il passé ? Seule l'équipe du programme lit "
                     "vos réponses.",
                     "Dos minutos, tres preguntas: ¿cómo fue? Solo el equipo del programa lee tus respuestas.",
                     "Dois minutos, três perguntas: como correu? Só a equipa do programa lê as suas respostas."),
    "survey_button": _m("Answer the closing survey", "Répondre au questionnaire de clôture",
                        "Responder la encuesta de cierre", "Responder ao questionário final"),
    "sv_title": _m("How did your mentorship with {other} go?", "Comment s'est passé votre mentorat avec {other} ?",
                   "¿Cómo fue tu mentoría con {other}?", "Como correu a sua mentoria com {other}?"),
    "sv_intro": _m("Only the programme team reads your answers; {other} does not.",
                   "Seule l'équipe du programme lit vos réponses ; {other} ne les lit pas.",
                   "Solo el equipo del programa lee tus respuestas; {other} no.",
                   "Só a equipa do programa lê as suas respostas; {other} não."),
    "sv_useful": _m("How useful were the sessions to you?", "Les séances vous ont-elles été utiles ?",
                    "¿Qué tan útiles te fueron las sesiones?", "Que utilidade tiveram as sessões para si?"),
    "sv_useful_1": _m("1 — not useful", "1 — pas utiles", "1 — nada útiles", "1 — nenhuma"),
    "sv_useful_5": _m("5 — very useful", "5 — très utiles", "5 — muy útiles", "5 — muita"),
    "sv_again": _m("Would you take part in a mentorship again?", "Reprendriez-vous part à un mentorat ?",
                   "¿Volverías a participar en una mentoría?", "Voltaria a participar numa mentoria?"),
    "sv_yes": _m("Yes", "Oui", "Sí", "Sim"),
    "sv_no": _m("No", "Non", "No", "Não"),
    "sv_comment": _m("Anything the programme should know (optional)",
                     "Ce que le programme devrait savoir (facultatif)",
                     "Algo que el programa debería saber (opcional)",
                     "Algo que o programa deva saber (opcional)"),
    "sv_send": _m("Send my answers", "Envoyer mes réponses", "Enviar mis respuestas", "Enviar as minhas respostas"),
    "sv_pick": _m("Choose from 1 to 5.", "Choisissez de 1 à 5.", "Elige de 1 a 5.", "Escolha de 1 a 5."),
    "sv_pick_again": _m("Choose yes or no.", "Choisissez oui ou non.", "Elige sí o no.", "Escolha sim ou não."),
    "sv_thanks": _m("Thank you. Your answers of {when} are with the programme team.",
                    "Merci. Vos réponses du {when} sont transmises à l'équipe du programme.",
                    "Gracias. Tus respuestas del {when} están con el equipo del programa.",
                    "Obrigado. As suas respostas de {when} estão com a equipa do programa."),
    "sv_not_yet": _m("The closing survey opens when the mentorship ends.",
                     "Le questionnaire de clôture s'ouvre à la fin du mentorat.",
                     "La encuesta de cierre se abre cuando termina la mentoría.",
                     "O questionário final abre quando a mentoria termina."),
    # A link that was already used, or whose moment has passed: what happened, what now.
    "used_title": _m("This link has done its job", "Ce lien a déjà servi", "Este enlace ya cumplió su función",
                     "Esta ligação já cumpriu a sua função"),
    "used_invited": _m("{other} has not answered this invitation yet.", "{other} n'a pas encore répondu à "
                       "cette invitation.", "{other} aún no ha respondido a esta invitación.",
                       "{other} ainda não respondeu a este convite."),
    "used_slot_proposed": _m("A new time is waiting for an answer: {proposed}.",
                             "Un nouvel horaire attend une réponse : {proposed}.",
                             "Una nueva hora espera respuesta: {proposed}.",
                             "Um novo horário aguarda resposta: {proposed}."),
    "used_confirmed": _m("This session is confirmed for {when}.", "Cette séance est confirmée pour le {when}.",
                         "Esta sesión está confirmada para el {when}.", "Esta sessão está confirmada para {when}."),
    "used_declined": _m("This session was declined, so it will not take place.",
                        "Cette séance a été refusée : elle n'aura pas lieu.",
                        "Esta sesión fue rechazada, así que no se celebrará.",
                        "Esta sessão foi recusada, por isso não se realizará."),
    "used_expired": _m("This invitation expired without an answer.", "Cette invitation a expiré sans réponse.",
                       "Esta invitación caducó sin respuesta.", "Este convite expirou sem resposta."),
    "used_cancelled": _m("This session was cancelled.", "Cette séance a été annulée.", "Esta sesión fue cancelada.",
                         "Esta sessão foi cancelada."),
    "used_completed": _m("This session took place on {when}.", "Cette séance a eu lieu le {when}.",
                         "Esta sesión tuvo lugar el {when}.", "Esta sessão realizou-se em {when}."),
    "used_critique": _m("The critique of this session was already sent. Thank you.",
                        "La critique de cette séance a déjà été envoyée. Merci.",
                        "La crítica de esta sesión ya se envió. Gracias.",
                        "A crítica desta sessão já foi enviada. Obrigado."),
    "used_rate": _m("This session was already rated. Thank you.", "Cette séance a déjà été notée. Merci.",
                    "Esta sesión ya fue valorada. Gracias.", "Esta sessão já foi avaliada. Obrigado."),
    "used_next_page": _m("Everything about your sessions together is on your mentoring page:",
                         "Tout ce qui concerne vos séances se trouve sur votre page de mentorat :",
                         "Todo sobre vuestras sesiones está en tu página de mentoría:",
                         "Tudo sobre as vossas sessões está na sua página de mentoria:"),
    "used_next_mail": _m("The most recent email about this session has the links you can use now.",
                         "Le dernier e-mail concernant cette séance contient les liens utilisables maintenant.",
                         "El correo más reciente sobre esta sesión tiene los enlaces que puedes usar ahora.",
                         "O e-mail mais recente sobre esta sessão tem as ligações que pode usar agora."),
    "mt_book": _m("Propose the next session to {name}", "Proposer la prochaine séance à {name}",
                  "Proponer la próxima sesión a {name}", "Propor a próxima sessão a {name}"),
    "mt_no_next": _m("No session booked.", "Aucune séance réservée.", "Ninguna sesión reservada.",
                     "Nenhuma sessão marcada."),
    "mt_last_critique": _m("Last critique: the session of {when}", "Dernière critique : la séance du {when}",
                           "Última crítica: la sesión del {when}", "Última crítica: a sessão de {when}"),
    "mt_no_critique": _m("No critique yet.", "Pas encore de critique.", "Aún no hay crítica.",
                         "Ainda sem crítica."),
    "mt_open": _m("Sessions, notes and choices with {name}", "Séances, notes et choix avec {name}",
                  "Sesiones, notas y opciones con {name}", "Sessões, notas e opções com {name}"),
    "mentees_footer": _m("All your mentees: {url}", "Tous vos mentorés : {url}",
                         "Todas tus personas mentorizadas: {url}", "Todos os seus formandos: {url}"),
})
