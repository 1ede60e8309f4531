"""Every word of the staff console, in English, French, Spanish and Portuguese.

Templates call ``t(key, **values)`` (bound to the reader's language by the console
blueprint); the views call ``say(key, locale, **values)``. Group names (regions,
countries, profile attributes) are data and stay as stored.
"""
from __future__ import annotations

from shared.i18n import LOCALES


def _m(en: str, fr: str, es: str, pt: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es, "pt": pt}


def say(key: str, locale: str, **values) -> str:
    entry = TEXT[key]
    return entry.get(locale if locale in LOCALES else "en", entry["en"]).format(**values)


LANGUAGE_LABELS = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}

TEXT: dict[str, dict[str, str]] = {
    # --- every page -------------------------------------------------------------------
    "staff": _m("Twoshot staff", "équipe Twoshot", "equipo de Twoshot", "equipa Twoshot"),
    "nav": _m("Console", "Console", "Consola", "Consola"),
    "nav_language": _m("Language", "Langue", "Idioma", "Língua"),
    "nav_policy": _m("Matching policy", "Règles de mise en relation", "Política de emparejamiento",
                     "Política de correspondência"),
    "nav_report": _m("Fairness report", "Rapport d'équité", "Informe de equidad", "Relatório de equidade"),
    "nav_requests": _m("Requests", "Demandes", "Solicitudes", "Pedidos"),
    "nav_cohorts": _m("Cohorts", "Cohortes", "Cohortes", "Coortes"),
    "nav_audit": _m("Audit log", "Journal d'audit", "Registro de auditoría", "Registo de auditoria"),
    "signed_in_as": _m("Signed in as {name} ({role})", "Connecté·e : {name} ({role})",
                       "Sesión iniciada: {name} ({role})", "Sessão iniciada: {name} ({role})"),
    "role_viewer": _m("viewer", "lecture", "lectura", "leitura"),
    "role_editor": _m("editor", "édition", "edición", "edição"),
    "sign_out": _m("Sign out", "Se déconnecter", "Cerrar sesión", "Terminar sessão"),
    "form_check": _m("Please check the {n} field(s) marked below.", "Vérifiez les {n} champ(s) signalé(s) ci-dessous.",
                     "Revisa los {n} campo(s) marcados abajo.", "Verifique o(s) {n} campo(s) assinalado(s) abaixo."),
    "utc": _m("UTC", "UTC", "UTC", "UTC"),
    "too_few": _m("too few decisions to judge", "trop peu de décisions pour juger", "demasiado pocas decisiones para "
                  "juzgar", "poucas decisões para avaliar"),
    "ci95": _m("95 % interval {low}–{high}", "intervalle à 95 % {low}–{high}", "intervalo del 95 % {low}–{high}",
               "intervalo de 95 % {low}–{high}"),
    "download_csv": _m("download CSV", "télécharger en CSV", "descargar CSV", "descarregar CSV"),
    "reason_needed": _m("Say why, in 3 to 500 characters: the history keeps it.",
                        "Dites pourquoi, en 3 à 500 caractères : l'historique le garde.",
                        "Explica por qué, en 3 a 500 caracteres: el historial lo guarda.",
                        "Diga porquê, em 3 a 500 caracteres: o histórico guarda-o."),
    "reason_needed_audit": _m("Say why, in 3 to 500 characters: the audit log keeps it.",
                              "Dites pourquoi, en 3 à 500 caractères : le journal d'audit le garde.",
                              "Explica por qué, en 3 a 500 caracteres: el registro de auditoría lo guarda.",
                              "Diga porquê, em 3 a 500 caracteres: o registo de auditoria guarda-o."),
    "not_allowed_title": _m("Not allowed", "Non autorisé", "No permitido", "Não permitido"),
    "not_allowed_body": _m("This needs the {role} role; you have the {current} role.",
                           "Il faut le rôle « {role} » ; vous avez le rôle « {current} ».",
                           "Hace falta el rol «{role}»; tienes el rol «{current}».",
                           "É preciso o papel «{role}»; tem o papel «{current}»."),

    # --- sign-in ----------------------------------------------------------------------
    "login_title": _m("Staff sign-in", "Connexion de l'équipe", "Acceso del equipo", "Acesso da equipa"),
    "login_login": _m("Login", "Identifiant", "Usuario", "Utilizador"),
    "login_password": _m("Password", "Mot de passe", "Contraseña", "Palavra-passe"),
    "login_submit": _m("Sign in", "Se connecter", "Entrar", "Entrar"),
    "login_failed": _m("That login and password do not match an active account.",
                       "Cet identifiant et ce mot de passe ne correspondent à aucun compte actif.",
                       "Ese usuario y esa contraseña no corresponden a ninguna cuenta activa.",
                       "Esse utilizador e essa palavra-passe não correspondem a nenhuma conta ativa."),
    "login_hint": _m("Accounts and passwords are made by an operator:", "Les comptes et mots de passe sont créés par "
                     "un·e opérateur·rice :", "Las cuentas y contraseñas las crea un operador:",
                     "As contas e palavras-passe são criadas por um operador:"),

    # --- the policy page --------------------------------------------------------------
    "policy_title": _m("Matching policy", "Règles de mise en relation", "Política de emparejamiento",
                       "Política de correspondência"),
    "in_force_defaults": _m("Version {version} is in force (the built-in defaults).",
                            "La version {version} est en vigueur (les réglages par défaut).",
                            "La versión {version} está en vigor (los valores por defecto).",
                            "A versão {version} está em vigor (os valores predefinidos)."),
    "in_force": _m("Version {version} is in force, set by {author} on {at} UTC: “{reason}”.",
                   "La version {version} est en vigueur, fixée par {author} le {at} UTC : « {reason} ».",
                   "La versión {version} está en vigor, fijada por {author} el {at} UTC: «{reason}».",
                   "A versão {version} está em vigor, definida por {author} em {at} UTC: «{reason}»."),
    "weights": _m("Weights", "Poids", "Pesos", "Pesos"),
    "weights_hint": _m("Each criterion's weight, 0 to 1. Only their proportions matter: they are scaled to add up "
                       "to 1.",
                       "Le poids de chaque critère, de 0 à 1. Seules leurs proportions comptent : ils sont ramenés à "
                       "une somme de 1.",
                       "El peso de cada criterio, de 0 a 1. Solo cuentan sus proporciones: se ajustan para sumar 1.",
                       "O peso de cada critério, de 0 a 1. Só as proporções contam: são ajustados para somar 1."),
    "fairness": _m("Fairness", "Équité", "Equidad", "Equidade"),
    "region_preference": _m("Region preference", "Préférence de région", "Preferencia de región",
                            "Preferência de região"),
    "pref_same_region": _m("same region", "même région", "misma región", "mesma região"),
    "pref_cross_border": _m("cross border", "autre pays", "otro país", "outro país"),
    "pref_neutral": _m("neutral", "neutre", "neutral", "neutra"),
    "min_overlap_hours": _m("Min overlap hours", "Heures communes minimum", "Horas en común mínimas",
                            "Horas em comum mínimas"),
    "exposure_boost": _m("Exposure boost", "Coup de pouce d'exposition", "Impulso de exposición",
                         "Impulso de exposição"),
    "group_attribute": _m("Groups measured over", "Groupes mesurés selon", "Grupos medidos según",
                          "Grupos medidos segundo"),
    "min_share": _m("Minimum share per mentor group", "Part minimale par groupe de mentors",
                    "Cuota mínima por grupo de mentores", "Quota mínima por grupo de mentores"),
    "access_boost": _m("Access boost per trainee region", "Priorité d'accès par région des stagiaires",
                       "Prioridad de acceso por región de quien se forma",
                       "Prioridade de acesso por região de quem se forma"),
    "excluded_mentors": _m("Mentors never proposed", "Mentors jamais proposés", "Mentores que nunca se proponen",
                           "Mentores nunca propostos"),
    "preview": _m("Preview", "Aperçu", "Vista previa", "Pré-visualizar"),
    "apply_title": _m("Apply", "Appliquer", "Aplicar", "Aplicar"),
    "apply": _m("Apply", "Appliquer", "Aplicar", "Aplicar"),
    "apply_reason": _m("Why (kept in the history and the audit log)", "Pourquoi (gardé dans l'historique et le journal "
                       "d'audit)", "Por qué (se guarda en el historial y el registro de auditoría)",
                       "Porquê (guardado no histórico e no registo de auditoria)"),
    "applied": _m("Version {version} is now in force.", "La version {version} est maintenant en vigueur.",
                  "La versión {version} ya está en vigor.", "A versão {version} está agora em vigor."),
    "unchanged": _m("Nothing changed: these settings are already version {version}.",
                    "Rien n'a changé : ces réglages sont déjà la version {version}.",
                    "No cambió nada: estos ajustes ya son la versión {version}.",
                    "Nada mudou: estas definições já são a versão {version}."),
    "defaults": _m("the built-in defaults", "la configuration par défaut", "la configuración por defecto",
                   "a configuração predefinida"),
    "version_n": _m("version {version}", "la version {version}", "la versión {version}", "a versão {version}"),
    "rolled_back": _m("Rolled back to {label}: in force as version {version}.",
                      "Retour à {label} : en vigueur comme version {version}.",
                      "Vuelta a {label}: en vigor como versión {version}.",
                      "Reposta {label}: em vigor como versão {version}."),
    "rollback_unchanged": _m("Nothing changed: {label} is what is in force already (version {version}).",
                             "Rien n'a changé : {label} est déjà en vigueur (version {version}).",
                             "No cambió nada: {label} ya está en vigor (versión {version}).",
                             "Nada mudou: {label} já está em vigor (versão {version})."),
    "rollback_reason_needed": _m("Say why you roll back, in 3 to 500 characters.",
                                 "Dites pourquoi vous revenez en arrière, en 3 à 500 caractères.",
                                 "Explica por qué vuelves atrás, en 3 a 500 caracteres.",
                                 "Diga porque volta atrás, em 3 a 500 caracteres."),
    "choose_version": _m("Choose a version.", "Choisissez une version.", "Elige una versión.", "Escolha uma versão."),
    # the preview
    "preview_title": _m("What this change would do", "Ce que ce changement ferait", "Qué haría este cambio",
                        "O que esta alteração faria"),
    "preview_replayed": _m("Replayed on the last {n} requests, with the policy in force and with the change, on the "
                           "same mentors.", "Rejoué sur les {n} dernières demandes, avec les règles en vigueur et "
                           "avec le changement, sur les mêmes mentors.", "Repetido con las últimas {n} solicitudes, "
                           "con la política en vigor y con el cambio, sobre los mismos mentores.",
                           "Repetido com os últimos {n} pedidos, com a política em vigor e com a alteração, sobre os "
                           "mesmos mentores."),
    "preview_few": _m("Too few requests to judge: treat these figures as a rough sign only.",
                      "Trop peu de demandes pour juger : ces chiffres ne sont qu'une indication.",
                      "Demasiado pocas solicitudes para juzgar: toma estas cifras solo como una indicación.",
                      "Poucos pedidos para avaliar: veja estes números apenas como uma indicação."),
    "attention_title": _m("Attention each group of mentors receives", "L'attention que reçoit chaque groupe de mentors",
                          "La atención que recibe cada grupo de mentores", "A atenção que cada grupo de mentores "
                          "recebe"),
    "attention_hint": _m("1.0 means a group is shown as often as its share of eligible mentors would give it; below "
                         "0.8 (the four-fifths line) it is under-exposed.",
                         "1,0 : un groupe est montré autant que sa part des mentors éligibles le voudrait ; sous 0,8 "
                         "(la règle des quatre cinquièmes), il est sous-exposé.",
                         "1,0: un grupo se muestra tanto como le daría su proporción de mentores elegibles; por "
                         "debajo de 0,8 (la regla de los cuatro quintos) está subexpuesto.",
                         "1,0: um grupo é mostrado tanto quanto lhe daria a sua proporção de mentores elegíveis; "
                         "abaixo de 0,8 (a regra dos quatro quintos) está subexposto."),
    "chart_exposure_title": _m("Exposure ratio by mentor group, now and with the change",
                               "Ratio d'exposition par groupe de mentors, maintenant et avec le changement",
                               "Razón de exposición por grupo de mentores, ahora y con el cambio",
                               "Rácio de exposição por grupo de mentores, agora e com a alteração"),
    "chart_now_change": _m("{group}: now {now}, with the change {change}.", "{group} : maintenant {now}, avec le "
                           "changement {change}.", "{group}: ahora {now}, con el cambio {change}.",
                           "{group}: agora {now}, com a alteração {change}."),
    "chart_legend_change": _m("grey: now · blue: with the change", "gris : maintenant · bleu : avec le changement",
                              "gris: ahora · azul: con el cambio", "cinzento: agora · azul: com a alteração"),
    "chart_caption_change": _m("Bars: exposure ratio; dashed line: the four-fifths line.",
                               "Barres : ratio d'exposition ; pointillés : la règle des quatre cinquièmes.",
                               "Barras: razón de exposición; línea discontinua: la regla de los cuatro quintos.",
                               "Barras: rácio de exposição; linha tracejada: a regra dos quatro quintos."),
    "none": _m("none", "aucun", "ninguno", "nenhum"),
    "group": _m("Group", "Groupe", "Grupo", "Grupo"),
    "now": _m("Now", "Maintenant", "Ahora", "Agora"),
    "with_change": _m("With the change", "Avec le changement", "Con el cambio", "Com a alteração"),
    "quality_title": _m("Ranking quality and the first choice", "Qualité du classement et premier choix",
                        "Calidad de la clasificación y primera opción", "Qualidade da classificação e primeira "
                        "escolha"),
    "figure": _m("Figure", "Indicateur", "Cifra", "Indicador"),
    "q_disparity": _m("Least-exposed group's ratio (four-fifths rule: at least 0.8)",
                      "Ratio du groupe le moins exposé (règle des quatre cinquièmes : au moins 0,8)",
                      "Razón del grupo menos expuesto (regla de los cuatro quintos: al menos 0,8)",
                      "Rácio do grupo menos exposto (regra dos quatro quintos: pelo menos 0,8)"),
    "q_ndcg": _m("Ranking quality kept, judged with today's weights (NDCG@10, 1.0 = unchanged)",
                 "Qualité du classement conservée, jugée avec les poids actuels (NDCG@10, 1,0 = inchangée)",
                 "Calidad de la clasificación conservada, juzgada con los pesos actuales (NDCG@10, 1,0 = igual)",
                 "Qualidade da classificação mantida, avaliada com os pesos atuais (NDCG@10, 1,0 = igual)"),
    "q_first": _m("Mean score of each trainee's first choice, judged with today's weights",
                  "Score moyen du premier choix de chaque stagiaire, jugé avec les poids actuels",
                  "Puntuación media de la primera opción de cada persona en formación, con los pesos actuales",
                  "Pontuação média da primeira escolha de cada formando, com os pesos atuais"),
    "q_matched": _m("Requests with a mentor", "Demandes avec un mentor", "Solicitudes con mentor",
                    "Pedidos com mentor"),
    "moved": _m("{moved} of {n} requests would get a different top three.",
                "{moved} demandes sur {n} auraient un trio de tête différent.",
                "{moved} de {n} solicitudes tendrían otros tres primeros.",
                "{moved} de {n} pedidos teriam outros três primeiros."),
    "moved_sample": _m("Request {id}: top three now {before}; with the change {after}",
                       "Demande {id} : trio de tête maintenant {before} ; avec le changement {after}",
                       "Solicitud {id}: tres primeros ahora {before}; con el cambio {after}",
                       "Pedido {id}: três primeiros agora {before}; com a alteração {after}"),
    "preview_vs_report": _m("The preview replays recent requests; the fairness report counts what matching actually "
                            "did since it started, so their exposure figures differ until the change has been in force "
                            "for a while.", "L'aperçu rejoue les demandes récentes ; le rapport d'équité compte ce que "
                            "la mise en relation a réellement fait depuis son début : leurs chiffres d'exposition "
                            "diffèrent tant que le changement n'est pas en vigueur depuis un moment.",
                            "La vista previa repite las solicitudes recientes; el informe de equidad cuenta lo que el "
                            "emparejamiento hizo de verdad desde el inicio, así que sus cifras de exposición difieren "
                            "hasta que el cambio lleve un tiempo en vigor.",
                            "A pré-visualização repete os pedidos recentes; o relatório de equidade conta o que a "
                            "correspondência fez de facto desde o início, por isso os números de exposição diferem "
                            "até a alteração estar em vigor há algum tempo."),
    # history
    "history": _m("History", "Historique", "Historial", "Histórico"),
    "h_version": _m("Version", "Version", "Versión", "Versão"),
    "h_who": _m("Who, when", "Qui, quand", "Quién, cuándo", "Quem, quando"),
    "h_why": _m("Why", "Pourquoi", "Por qué", "Porquê"),
    "h_what": _m("What changed", "Ce qui a changé", "Qué cambió", "O que mudou"),
    "h_rollback": _m("Roll back", "Revenir", "Volver", "Voltar"),
    "h_defaults": _m("(built-in defaults)", "(réglages par défaut)", "(valores por defecto)", "(valores predefinidos)"),
    "h_in_force": _m("in force", "en vigueur", "en vigor", "em vigor"),
    "rollback_reason": _m("Why roll back to version {version}", "Pourquoi revenir à la version {version}",
                          "Por qué volver a la versión {version}", "Porquê voltar à versão {version}"),
    "rollback_button": _m("Roll back to version {version}", "Revenir à la version {version}",
                          "Volver a la versión {version}", "Voltar à versão {version}"),
    "change_weight": _m("{criterion} weight: {before} → {after}", "poids {criterion} : {before} → {after}",
                        "peso {criterion}: {before} → {after}", "peso {criterion}: {before} → {after}"),

    # --- criteria, their help, and the fairness settings' help --------------------------
    "c_skill": _m("skill", "compétences", "habilidades", "competências"),
    "c_level": _m("level", "niveau", "nivel", "nível"),
    "c_language": _m("language", "langue", "idioma", "língua"),
    "c_availability": _m("availability", "disponibilité", "disponibilidad", "disponibilidade"),
    "c_region": _m("region", "région", "región", "região"),
    "c_load": _m("load", "charge", "carga", "carga"),
    "c_equity": _m("equity", "équité", "equidad", "equidade"),
    "w_skill": _m("Skill weight", "Poids : compétences", "Peso: habilidades", "Peso: competências"),
    "w_level": _m("Level weight", "Poids : niveau", "Peso: nivel", "Peso: nível"),
    "w_language": _m("Language weight", "Poids : langue", "Peso: idioma", "Peso: língua"),
    "w_availability": _m("Availability weight", "Poids : disponibilité", "Peso: disponibilidad",
                         "Peso: disponibilidade"),
    "w_region": _m("Region weight", "Poids : région", "Peso: región", "Peso: região"),
    "w_load": _m("Load weight", "Poids : charge", "Peso: carga", "Peso: carga"),
    "w_equity": _m("Equity weight", "Poids : équité", "Peso: equidad", "Peso: equidade"),
    "help_skill": _m("How closely the mentor's skills match what the trainee wants to work on.",
                     "À quel point les compétences du mentor correspondent à ce que le ou la stagiaire veut "
                     "travailler.",
                     "Cuánto se parecen las habilidades del mentor a lo que la persona quiere trabajar.",
                     "Quanto as competências do mentor correspondem ao que o formando quer trabalhar."),
    "help_level": _m("How experienced the mentor says they are in those skills.",
                     "L'expérience que le mentor déclare dans ces compétences.",
                     "La experiencia que el mentor declara en esas habilidades.",
                     "A experiência que o mentor declara nessas competências."),
    "help_language": _m("Whether they share a language; the trainee's first language counts more.",
                        "S'ils ont une langue en commun ; la première langue du ou de la stagiaire compte davantage.",
                        "Si comparten un idioma; el primer idioma de la persona en formación cuenta más.",
                        "Se partilham uma língua; a primeira língua do formando conta mais."),
    "help_availability": _m("How many free hours a week the two have in common.",
                            "Combien d'heures libres par semaine ils ont en commun.",
                            "Cuántas horas libres a la semana tienen en común.",
                            "Quantas horas livres por semana têm em comum."),
    "help_region": _m("Same region or across borders, as the region preference below says.",
                      "Même région ou autre pays, selon la préférence de région ci-dessous.",
                      "Misma región u otro país, según la preferencia de región de abajo.",
                      "Mesma região ou outro país, conforme a preferência de região abaixo."),
    "help_load": _m("Prefers mentors with fewer sessions this month, so the work is shared.",
                    "Préfère les mentors qui ont moins de séances ce mois-ci, pour partager le travail.",
                    "Prefiere mentores con menos sesiones este mes, para repartir el trabajo.",
                    "Prefere mentores com menos sessões este mês, para repartir o trabalho."),
    "help_equity": _m("Priority for trainees who said, with consent, that they are under-represented.",
                      "Priorité aux stagiaires qui ont dit, avec leur accord, être sous-représenté·es.",
                      "Prioridad para quienes dijeron, con su consentimiento, que están infrarrepresentados.",
                      "Prioridade para quem disse, com consentimento, que está sub-representado."),
    "help_region_preference": _m("Prefer mentors from the trainee's own region, from another country, or neither.",
                                 "Préférer des mentors de la région du ou de la stagiaire, d'un autre pays, ou ni l'un "
                                 "ni l'autre.", "Preferir mentores de la región de la persona en formación, de otro "
                                 "país, o ninguno de los dos.", "Preferir mentores da região do formando, de outro "
                                 "país, ou nenhum dos dois."),
    "help_min_overlap_hours": _m("Mentors with less free time in common each week are not considered.",
                                 "Les mentors avec moins de temps libre en commun chaque semaine ne sont pas retenus.",
                                 "No se consideran los mentores con menos tiempo libre en común cada semana.",
                                 "Não se consideram mentores com menos tempo livre em comum por semana."),
    "help_exposure_boost": _m("How strongly groups shown less than their share of eligible mentors are moved up "
                              "(0: not at all; 2: strongly).", "À quel point les groupes moins montrés que leur part "
                              "des mentors éligibles sont remontés (0 : pas du tout ; 2 : fortement).",
                              "Cuánto se suben los grupos que se muestran menos que su proporción de mentores "
                              "elegibles (0: nada; 2: mucho).", "Quanto sobem os grupos mostrados menos do que a sua "
                              "proporção de mentores elegíveis (0: nada; 2: muito)."),
    "help_group_attribute": _m("The mentor attribute fairness is measured over (region, country, or a profile "
                               "attribute).", "L'attribut des mentors selon lequel l'équité est mesurée (région, pays "
                               "ou un attribut du profil).", "El atributo de los mentores con el que se mide la "
                               "equidad (región, país o un atributo del perfil).", "O atributo dos mentores pelo qual "
                               "se mede a equidade (região, país ou um atributo do perfil)."),
    "help_min_share": _m("At least this share of every trainee's list goes to the group, from the top down, whenever "
                         "it has eligible mentors (0.2: one in five). Blank: no minimum. The shares may add up to 1 at "
                         "most.", "Au moins cette part de la liste de chaque stagiaire va au groupe, depuis le haut, "
                         "dès qu'il a des mentors éligibles (0,2 : un sur cinq). Vide : pas de minimum. Les parts "
                         "ne dépassent pas 1 au total.", "Al menos esta parte de la lista de cada persona va al "
                         "grupo, desde arriba, siempre que tenga mentores elegibles (0,2: uno de cada cinco). Vacío: "
                         "sin mínimo. Las cuotas suman 1 como mucho.", "Pelo menos esta parte da lista de cada "
                         "formando vai para o grupo, de cima para baixo, sempre que tenha mentores elegíveis (0,2: "
                         "um em cada cinco). Vazio: sem mínimo. As quotas somam 1 no máximo."),
    "help_access_boost": _m("Added to every score for trainees from this region, so they are proposed first when "
                            "mentors are scarce (a cohort or a catch-up term). Blank: none.",
                            "Ajouté à chaque score pour les stagiaires de cette région, pour qu'ils passent en premier "
                            "quand les mentors manquent (une cohorte, un trimestre de rattrapage). Vide : aucun.",
                            "Se suma a cada puntuación de quienes vienen de esta región, para que se les proponga "
                            "primero cuando faltan mentores (una cohorte, un trimestre de recuperación). Vacío: "
                            "ninguno.", "Somado a cada pontuação dos formandos desta região, para serem propostos "
                            "primeiro quando faltam mentores (uma coorte, um período de recuperação). Vazio: nenhum."),
    "help_excluded_mentors": _m("Mentors never proposed, one id per line (for example while a complaint is looked "
                                "into). A request's page shows the id of each mentor proposed. Their sessions "
                                "already booked stay.", "Mentors jamais proposés, un identifiant par ligne (par "
                                "exemple pendant l'examen d'une plainte). La page d'une demande montre l'identifiant "
                                "de chaque mentor proposé. Leurs séances déjà réservées restent.",
                                "Mentores que nunca se proponen, un identificador por línea (por ejemplo mientras se "
                                "estudia una queja). La página de una solicitud muestra el identificador de cada "
                                "mentor propuesto. Sus sesiones ya reservadas se mantienen.",
                                "Mentores nunca propostos, um identificador por linha (por exemplo enquanto se analisa "
                                "uma queixa). A página de um pedido mostra o identificador de cada mentor proposto. "
                                "As sessões já marcadas mantêm-se."),

    # --- the fairness report ----------------------------------------------------------
    "report_title": _m("Fairness report", "Rapport d'équité", "Informe de equidad", "Relatório de equidade"),
    "report_intro": _m("Policy version {version} in force; scoring: {scoring}. Groups of mentors by {attribute}. "
                       "Generated {at} UTC.", "Version {version} des règles en vigueur ; score : {scoring}. Groupes "
                       "de mentors selon {attribute}. Produit le {at} UTC.", "Versión {version} de la política en "
                       "vigor; puntuación: {scoring}. Grupos de mentores según {attribute}. Generado el {at} UTC.",
                       "Versão {version} da política em vigor; pontuação: {scoring}. Grupos de mentores segundo "
                       "{attribute}. Gerado em {at} UTC."),
    "report_rule": _m("Every figure gives the number of decisions behind it. Below {rankings} rankings, {outcomes} "
                      "answered invites or {requests} requests a figure is shown without a verdict: too few decisions "
                      "to judge. Intervals are 95 %.", "Chaque chiffre donne le nombre de décisions derrière lui. Sous "
                      "{rankings} classements, {outcomes} invitations répondues ou {requests} demandes, un chiffre est "
                      "montré sans verdict : trop peu de décisions pour juger. Les intervalles sont à 95 %.",
                      "Cada cifra da el número de decisiones que la respaldan. Por debajo de {rankings} "
                      "clasificaciones, {outcomes} invitaciones respondidas o {requests} solicitudes, una cifra se "
                      "muestra sin veredicto: demasiado pocas decisiones para juzgar. Los intervalos son del 95 %.",
                      "Cada número indica quantas decisões o sustentam. Abaixo de {rankings} classificações, "
                      "{outcomes} convites respondidos ou {requests} pedidos, um número é mostrado sem veredicto: "
                      "poucas decisões para avaliar. Os intervalos são de 95 %."),
    "exposure_hint": _m("1.0: a group is shown in rankings as often as its share of eligible mentors would give it "
                        "(higher places count more). The four-fifths line is {line}: below it a group is "
                        "under-exposed. These are the decisions matching actually made; the policy preview replays "
                        "recent requests instead, so the two differ until a change has been in force for a while.",
                        "1,0 : un groupe apparaît dans les classements autant que sa part des mentors éligibles le "
                        "voudrait (les premières places comptent davantage). La règle des quatre cinquièmes est à "
                        "{line} : en dessous, un groupe est sous-exposé. Ce sont les décisions réellement prises ; "
                        "l'aperçu des règles rejoue des demandes récentes, donc les deux diffèrent tant qu'un "
                        "changement n'est pas en vigueur depuis un moment.",
                        "1,0: un grupo aparece en las clasificaciones tanto como le daría su proporción de mentores "
                        "elegibles (los primeros puestos cuentan más). La regla de los cuatro quintos está en {line}: "
                        "por debajo, un grupo está subexpuesto. Son las decisiones realmente tomadas; la vista previa "
                        "repite solicitudes recientes, así que ambas difieren hasta que un cambio lleve un tiempo en "
                        "vigor.",
                        "1,0: um grupo aparece nas classificações tanto quanto lhe daria a sua proporção de mentores "
                        "elegíveis (os primeiros lugares contam mais). A regra dos quatro quintos está em {line}: "
                        "abaixo, um grupo está subexposto. São as decisões realmente tomadas; a pré-visualização "
                        "repete pedidos recentes, por isso as duas diferem até uma alteração estar em vigor há algum "
                        "tempo."),
    "exposure_sentence": _m("{group} mentors receive {value} of the attention their share of eligible mentors would "
                            "give them ({ci}; {n} rankings)", "Les mentors {group} reçoivent {value} de l'attention "
                            "que leur part des mentors éligibles leur donnerait ({ci} ; {n} classements)",
                            "Los mentores de {group} reciben {value} de la atención que les daría su proporción de "
                            "mentores elegibles ({ci}; {n} clasificaciones)", "Os mentores de {group} recebem {value} "
                            "da atenção que a sua proporção de mentores elegíveis lhes daria ({ci}; {n} "
                            "classificações)"),
    "below_line": _m("below the four-fifths line", "sous la règle des quatre cinquièmes",
                     "por debajo de la regla de los cuatro quintos", "abaixo da regra dos quatro quintos"),
    "no_rankings": _m("{group}: no rankings counted yet.", "{group} : aucun classement compté pour l'instant.",
                      "{group}: aún no hay clasificaciones contadas.",
                      "{group}: ainda não há classificações contadas."),
    "chart_ci_title": _m("Exposure ratio by mentor group with 95 % intervals",
                         "Ratio d'exposition par groupe de mentors, intervalles à 95 %",
                         "Razón de exposición por grupo de mentores con intervalos del 95 %",
                         "Rácio de exposição por grupo de mentores com intervalos de 95 %"),
    "chart_ci_point": _m("{group}: {value}, from {low} to {high}.", "{group} : {value}, de {low} à {high}.",
                         "{group}: {value}, de {low} a {high}.", "{group}: {value}, de {low} a {high}."),
    "chart_ci_few": _m("{group}: {value}, too few decisions.", "{group} : {value}, trop peu de décisions.",
                       "{group}: {value}, demasiado pocas decisiones.", "{group}: {value}, poucas decisões."),
    "chart_ci_legend": _m("blue: enough decisions (black line: 95 % interval) · grey: too few to judge",
                          "bleu : assez de décisions (trait noir : intervalle à 95 %) · gris : trop peu pour juger",
                          "azul: decisiones suficientes (línea negra: intervalo del 95 %) · gris: demasiado pocas",
                          "azul: decisões suficientes (linha preta: intervalo de 95 %) · cinzento: poucas"),
    "exposure_caption": _m("Exposure by mentor group", "Exposition par groupe de mentors",
                           "Exposición por grupo de mentores", "Exposição por grupo de mentores"),
    "pool_share": _m("Share of the pool", "Part du vivier", "Parte del grupo de mentores",
                     "Parte do grupo de mentores"),
    "exposure_share": _m("Share of exposure", "Part de l'exposition", "Parte de la exposición", "Parte da exposição"),
    "exposure_ratio_ci": _m("Exposure ratio (95 % interval)", "Ratio d'exposition (intervalle à 95 %)",
                            "Razón de exposición (intervalo del 95 %)", "Rácio de exposição (intervalo de 95 %)"),
    "rankings": _m("Rankings", "Classements", "Clasificaciones", "Classificações"),
    "disparity": _m("Least-exposed group against the most exposed (four-fifths rule): {value}.",
                    "Groupe le moins exposé face au plus exposé (règle des quatre cinquièmes) : {value}.",
                    "Grupo menos expuesto frente al más expuesto (regla de los cuatro quintos): {value}.",
                    "Grupo menos exposto face ao mais exposto (regra dos quatro quintos): {value}."),
    "not_enough_rankings": _m("not enough rankings yet", "pas encore assez de classements",
                              "aún no hay suficientes clasificaciones", "ainda não há classificações suficientes"),
    "access_title": _m("How good a first match trainees get", "La qualité du premier mentor proposé aux stagiaires",
                       "Qué tan bueno es el primer mentor propuesto", "Quão bom é o primeiro mentor proposto"),
    "access_hint": _m("The mean score of the first mentor proposed to each trainee, by the trainee's region and by "
                      "whether they said (with consent) they are under-represented.", "Le score moyen du premier "
                      "mentor proposé à chaque stagiaire, par région du ou de la stagiaire et selon qu'il ou elle a "
                      "dit (avec son accord) être sous-représenté·e.", "La puntuación media del primer mentor "
                      "propuesto a cada persona, por su región y según haya dicho (con su consentimiento) que está "
                      "infrarrepresentada.", "A pontuação média do primeiro mentor proposto a cada formando, por "
                      "região e consoante tenha dito (com consentimento) que está sub-representado."),
    "access_caption": _m("Trainee access", "Accès des stagiaires", "Acceso de quienes se forman",
                         "Acesso dos formandos"),
    "trainees": _m("Trainees", "Stagiaires", "Personas en formación", "Formandos"),
    "mean_first": _m("Mean first-choice score (95 % interval)", "Score moyen du premier choix (intervalle à 95 %)",
                     "Puntuación media de la primera opción (intervalo del 95 %)",
                     "Pontuação média da primeira escolha (intervalo de 95 %)"),
    "requests": _m("Requests", "Demandes", "Solicitudes", "Pedidos"),
    "no_proposed": _m("No requests proposed yet.", "Aucune demande proposée pour l'instant.",
                      "Aún no se ha propuesto ninguna solicitud.", "Ainda não foi proposto nenhum pedido."),
    "acceptance_title": _m("How often mentors accept", "À quelle fréquence les mentors acceptent",
                           "Con qué frecuencia aceptan los mentores", "Com que frequência os mentores aceitam"),
    "acceptance_caption": _m("Acceptance by mentor group", "Acceptation par groupe de mentors",
                             "Aceptación por grupo de mentores", "Aceitação por grupo de mentores"),
    "mentors": _m("Mentors", "Mentors", "Mentores", "Mentores"),
    "accepted_ci": _m("Accepted (95 % interval)", "Acceptées (intervalle à 95 %)", "Aceptadas (intervalo del 95 %)",
                      "Aceites (intervalo de 95 %)"),
    "answered": _m("Answered invites", "Invitations répondues", "Invitaciones respondidas", "Convites respondidos"),
    "no_answered": _m("No answered invites yet.", "Aucune invitation répondue pour l'instant.",
                      "Aún no hay invitaciones respondidas.", "Ainda não há convites respondidos."),
    "load_title": _m("How evenly the work is shared", "Le partage du travail", "Qué tan repartido está el trabajo",
                     "Quão repartido está o trabalho"),
    "load_sentence": _m("In {month}, {proposals} proposals went to {mentors} active mentors; the Gini coefficient of "
                        "that load is {gini} (0: perfectly even, 1: one mentor gets everything)",
                        "En {month}, {proposals} propositions sont allées à {mentors} mentors actifs ; le coefficient "
                        "de Gini de cette charge est {gini} (0 : parfaitement égal, 1 : un seul mentor a tout)",
                        "En {month}, {proposals} propuestas fueron a {mentors} mentores activos; el coeficiente de "
                        "Gini de esa carga es {gini} (0: perfectamente igual, 1: un mentor lo recibe todo)",
                        "Em {month}, {proposals} propostas foram para {mentors} mentores ativos; o coeficiente de Gini "
                        "dessa carga é {gini} (0: perfeitamente igual, 1: um mentor recebe tudo)"),
    "load_few": _m(", from too few proposals to judge", ", sur trop peu de propositions pour juger",
                   ", con demasiado pocas propuestas para juzgar", ", com poucas propostas para avaliar"),
    "whole_csv": _m("The whole report as one CSV", "Tout le rapport en un CSV", "Todo el informe en un CSV",
                    "Todo o relatório num CSV"),

    # --- request look-up and the request page ---------------------------------------------
    "lookup_title": _m("Find a request", "Trouver une demande", "Buscar una solicitud", "Encontrar um pedido"),
    "lookup_label": _m("Request number, trainee's name or email", "Numéro de demande, nom ou e-mail du ou de la "
                       "stagiaire", "Número de solicitud, nombre o correo de la persona",
                       "Número do pedido, nome ou e-mail do formando"),
    "lookup_find": _m("Find", "Chercher", "Buscar", "Procurar"),
    "lookup_none": _m("No request matches “{q}”.", "Aucune demande ne correspond à « {q} ».",
                      "Ninguna solicitud coincide con «{q}».", "Nenhum pedido corresponde a «{q}»."),
    "request_title": _m("Request {id}", "Demande {id}", "Solicitud {id}", "Pedido {id}"),
    "request_facts": _m("languages {languages} · wants to work on {skills}", "langues {languages} · veut travailler "
                        "{skills}", "idiomas {languages} · quiere trabajar {skills}",
                        "línguas {languages} · quer trabalhar {skills}"),
    "programme": _m("programme {code}", "programme {code}", "programa {code}", "programa {code}"),
    "proposals": _m("Proposals", "Propositions", "Propuestas", "Propostas"),
    "attempt": _m("Attempt {n}: {mentor} — score {score}", "Essai {n} : {mentor} — score {score}",
                  "Intento {n}: {mentor} — puntuación {score}", "Tentativa {n}: {mentor} — pontuação {score}"),
    "mentor_id": _m("Mentor id (to exclude them, in the policy):", "Identifiant du mentor (pour l'exclure, dans "
                    "les règles) :", "Identificador del mentor (para excluirlo, en la política):",
                    "Identificador do mentor (para o excluir, na política):"),
    "attempt_hint": _m("policy version {version}", "règles version {version}", "versión de la política {version}",
                       "versão da política {version}"),
    "cohort_n": _m("cohort {id}", "cohorte {id}", "cohorte {id}", "coorte {id}"),
    "bars_hint": _m("Each bar is what one criterion added to the score; they add up to it.",
                    "Chaque barre est ce qu'un critère a ajouté au score ; leur somme le donne.",
                    "Cada barra es lo que un criterio sumó a la puntuación; juntas la forman.",
                    "Cada barra é o que um critério somou à pontuação; juntas formam-na."),
    "bars_title": _m("Contribution of each criterion to attempt {n}", "Contribution de chaque critère à l'essai {n}",
                     "Contribución de cada criterio al intento {n}", "Contribuição de cada critério para a tentativa "
                     "{n}"),
    "next_in_line": _m("Next in line: {n} mentors.", "Ensuite : {n} mentors.", "Siguientes: {n} mentores.",
                       "A seguir: {n} mentores."),
    "no_proposal": _m("No proposal yet.", "Pas encore de proposition.", "Aún no hay propuesta.", "Ainda sem proposta."),
    "no_proposal_cohort": _m("No proposal yet: held for the programme's cohort.",
                             "Pas encore de proposition : réservée pour la cohorte du programme.",
                             "Aún no hay propuesta: reservada para la cohorte del programa.",
                             "Ainda sem proposta: reservado para a coorte do programa."),
    "skipped_title": _m("Mentors left out by the hard filters (now)", "Mentors écartés par les filtres stricts "
                        "(maintenant)", "Mentores descartados por los filtros estrictos (ahora)",
                        "Mentores excluídos pelos filtros obrigatórios (agora)"),
    "skipped_line": _m("{n} mentors {why}", "{n} mentors {why}", "{n} mentores {why}", "{n} mentores {why}"),
    "and_more": _m("and {n} more", "et {n} de plus", "y {n} más", "e mais {n}"),
    "f_language": _m("share no language with the trainee", "n'ont aucune langue en commun avec le ou la stagiaire",
                     "no comparten idioma con la persona", "não partilham nenhuma língua com o formando"),
    "f_capacity": _m("have no capacity left this month", "n'ont plus de disponibilité ce mois-ci",
                     "no tienen capacidad este mes", "não têm capacidade este mês"),
    "f_time": _m("have too little free time in common", "ont trop peu de temps libre en commun",
                 "tienen muy poco tiempo libre en común", "têm pouco tempo livre em comum"),
    "f_excluded": _m("are excluded by staff", "sont exclus par l'équipe", "están excluidos por el equipo",
                     "estão excluídos pela equipa"),
    "f_tried": _m("were already proposed for this request", "ont déjà été proposés pour cette demande",
                  "ya se propusieron para esta solicitud", "já foram propostos para este pedido"),
    "emails": _m("Emails", "E-mails", "Correos", "E-mails"),
    "when_utc": _m("When (UTC)", "Quand (UTC)", "Cuándo (UTC)", "Quando (UTC)"),
    "what": _m("What", "Quoi", "Qué", "O quê"),
    "to": _m("To", "À", "Para", "Para"),
    "result": _m("Result", "Résultat", "Resultado", "Resultado"),
    "no_email": _m("No email reported yet.", "Aucun e-mail signalé pour l'instant.", "Aún no se ha informado de "
                   "ningún correo.", "Ainda não foi comunicado nenhum e-mail."),
    "emails_hint": _m("Emails as notifications reported them (a copy matching keeps of its events).",
                      "Les e-mails tels que le service de notifications les a signalés (une copie que la mise en "
                      "relation garde de ses événements).", "Los correos tal como los informó el servicio de "
                      "notificaciones (una copia que el emparejamiento guarda de sus eventos).",
                      "Os e-mails tal como o serviço de notificações os comunicou (uma cópia que a correspondência "
                      "guarda dos seus eventos)."),
    "unknown_request": _m("Matching does not know this request (or it was erased).",
                          "La mise en relation ne connaît pas cette demande (ou elle a été effacée).",
                          "El emparejamiento no conoce esta solicitud (o se borró).",
                          "A correspondência não conhece este pedido (ou foi apagado)."),

    # --- cohorts --------------------------------------------------------------------------
    "cohorts_title": _m("Cohorts", "Cohortes", "Cohortes", "Coortes"),
    "cohorts_intro": _m("Trainees who entered a programme code on the form wait until staff assign them together: the "
                        "best assignment for the whole cohort under every mentor's capacity, which no one-by-one "
                        "matching can promise.", "Les stagiaires qui ont saisi un code de programme attendent que "
                        "l'équipe les affecte ensemble : la meilleure affectation pour toute la cohorte dans la limite "
                        "de chaque mentor, ce qu'aucune mise en relation une à une ne peut promettre.",
                        "Quienes escribieron un código de programa en el formulario esperan a que el equipo los asigne "
                        "juntos: la mejor asignación para toda la cohorte dentro de la capacidad de cada mentor, algo "
                        "que ningún emparejamiento uno a uno puede prometer.", "Os formandos que indicaram um código "
                        "de programa esperam que a equipa os atribua em conjunto: a melhor atribuição para toda a "
                        "coorte dentro da capacidade de cada mentor, o que nenhuma correspondência um a um pode "
                        "prometer."),
    "programme_code": _m("Programme code", "Code du programme", "Código del programa", "Código do programa"),
    "draft": _m("Draft the assignment", "Préparer l'affectation", "Preparar la asignación", "Preparar a atribuição"),
    "editor_needed": _m("Drafting and confirming cohorts needs the editor role.",
                        "Préparer et confirmer des cohortes demande le rôle d'édition.",
                        "Preparar y confirmar cohortes requiere el rol de edición.",
                        "Preparar e confirmar coortes requer o papel de edição."),
    "no_held": _m("No requests are waiting under this programme code.", "Aucune demande n'attend sous ce code de "
                  "programme.", "Ninguna solicitud espera con este código de programa.",
                  "Nenhum pedido aguarda com este código de programa."),
    "no_cohort": _m("No such cohort.", "Cette cohorte n'existe pas.", "No existe esa cohorte.",
                    "Essa coorte não existe."),
    "cohort_title": _m("Cohort {id}: {status}", "Cohorte {id} : {status}", "Cohorte {id}: {status}",
                       "Coorte {id}: {status}"),
    "status_draft": _m("draft", "brouillon", "borrador", "rascunho"),
    "status_confirmed": _m("confirmed", "confirmée", "confirmada", "confirmada"),
    "drafted_by": _m("Drafted by {who} on {at} UTC under policy version {version}.",
                     "Préparée par {who} le {at} UTC avec les règles version {version}.",
                     "Preparada por {who} el {at} UTC con la versión {version} de la política.",
                     "Preparada por {who} em {at} UTC com a versão {version} da política."),
    "confirmed_by": _m("Confirmed by {who} on {at} UTC: invitations are going out.",
                       "Confirmée par {who} le {at} UTC : les invitations partent.",
                       "Confirmada por {who} el {at} UTC: se están enviando las invitaciones.",
                       "Confirmada por {who} em {at} UTC: os convites estão a ser enviados."),
    "coverage": _m("Coverage", "Couverture", "Cobertura", "Cobertura"),
    "coverage_value": _m("{assigned} of {total} trainees get a mentor ({pct} %)", "{assigned} stagiaires sur {total} "
                         "ont un mentor ({pct} %)", "{assigned} de {total} personas tienen mentor ({pct} %)",
                         "{assigned} de {total} formandos têm mentor ({pct} %)"),
    "utility": _m("Total score (utility)", "Score total (utilité)", "Puntuación total (utilidad)",
                  "Pontuação total (utilidade)"),
    "per_trainee": _m("{value} a trainee", "{value} par stagiaire", "{value} por persona", "{value} por formando"),
    "mentors_used": _m("Mentors used", "Mentors sollicités", "Mentores usados", "Mentores usados"),
    "mentors_used_value": _m("{n}; most trainees for one mentor: {most}",
                             "{n} ; le plus de stagiaires pour un mentor : "
                             "{most}", "{n}; máximo de personas para un mentor: {most}",
                             "{n}; máximo de formandos para um mentor: {most}"),
    "assignment": _m("Assignment", "Affectation", "Asignación", "Atribuição"),
    "trainee": _m("Trainee", "Stagiaire", "Persona en formación", "Formando"),
    "mentor": _m("Mentor", "Mentor", "Mentor", "Mentor"),
    "score": _m("Score", "Score", "Puntuación", "Pontuação"),
    "without_mentor": _m("Without a mentor", "Sans mentor", "Sin mentor", "Sem mentor"),
    "load_per_mentor": _m("Load per mentor", "Charge par mentor", "Carga por mentor", "Carga por mentor"),
    "in_cohort": _m("Trainees in this cohort", "Stagiaires de cette cohorte", "Personas de esta cohorte",
                    "Formandos desta coorte"),
    "skipped_at_confirm": _m("Skipped at confirmation (changed since the draft): {n}.",
                             "Écartées à la confirmation (modifiées depuis le brouillon) : {n}.",
                             "Omitidas al confirmar (cambiaron desde el borrador): {n}.",
                             "Omitidos na confirmação (mudaram desde o rascunho): {n}."),
    "confirm_reason": _m("Why confirm (kept in the audit log)", "Pourquoi confirmer (gardé dans le journal d'audit)",
                         "Por qué confirmar (se guarda en el registro de auditoría)",
                         "Porquê confirmar (guardado no registo de auditoria)"),
    "confirm": _m("Confirm: send the invitations", "Confirmer : envoyer les invitations",
                  "Confirmar: enviar las invitaciones", "Confirmar: enviar os convites"),
    "gone": _m("(gone)", "(partie)", "(ya no está)", "(já não existe)"),

    # --- the audit log ---------------------------------------------------------------------
    "cohorts_waiting": _m("Programme codes with trainees waiting", "Codes de programme avec des stagiaires en "
                          "attente", "Códigos de programa con participantes en espera",
                          "Códigos de programa com formandos à espera"),
    "waiting_trainees": _m("Trainees waiting", "Stagiaires en attente", "Participantes en espera",
                           "Formandos à espera"),
    "cohorts_waiting_none": _m("No trainee is waiting for a cohort.", "Aucun stagiaire n'attend de cohorte.",
                               "Ningún participante espera una cohorte.", "Nenhum formando espera uma coorte."),
    # --- dead letters ------------------------------------------------------------------
    "nav_dead": _m("Dead letters", "Messages en échec", "Mensajes fallidos", "Mensagens falhadas"),
    "dead_title": _m("Dead letters", "Messages en échec", "Mensajes fallidos", "Mensagens falhadas"),
    "dead_intro": _m(
        "Events a service could not handle, newest first, with the reason. They are kept here even when the "
        "message bus loses its copy. Once the cause is fixed, replay one: it is sent to its topic again and the "
        "audit log records who did it and why.",
        "Les événements qu'un service n'a pas pu traiter, du plus récent au plus ancien, avec la raison. Ils sont "
        "gardés ici même si le bus de messages perd sa copie. Une fois la cause corrigée, renvoyez-en un : il "
        "repart vers son sujet et le journal d'audit note qui l'a fait et pourquoi.",
        "Eventos que un servicio no pudo procesar, del más reciente al más antiguo, con el motivo. Se guardan aquí "
        "aunque el bus de mensajes pierda su copia. Cuando la causa esté corregida, reenvía uno: vuelve a su tema "
        "y el registro de auditoría anota quién lo hizo y por qué.",
        "Eventos que um serviço não conseguiu tratar, do mais recente ao mais antigo, com o motivo. Ficam aqui "
        "mesmo que o barramento de mensagens perca a sua cópia. Corrigida a causa, reenvie um: volta ao seu tópico "
        "e o registo de auditoria anota quem o fez e porquê."),
    "dead_topic": _m("Topic", "Sujet", "Tema", "Tópico"),
    "dead_group": _m("Service", "Service", "Servicio", "Serviço"),
    "dead_reason": _m("Reason", "Raison", "Motivo", "Motivo"),
    "dead_failed_at": _m("Failed (UTC)", "Échec (UTC)", "Falló (UTC)", "Falhou (UTC)"),
    "dead_content": _m("Beginning of the record", "Début du message", "Comienzo del mensaje",
                       "Início da mensagem"),
    "dead_replays": _m("Replayed", "Renvoyé", "Reenviado", "Reenviado"),
    "dead_replay_reason": _m("Why replay it (kept in the audit log)", "Pourquoi le renvoyer (gardé dans le journal "
                             "d'audit)", "Por qué reenviarlo (se guarda en el registro de auditoría)",
                             "Porquê reenviá-lo (fica no registo de auditoria)"),
    "dead_replay_button": _m("Replay", "Renvoyer", "Reenviar", "Reenviar"),
    "dead_none": _m("No event has failed.", "Aucun événement en échec.", "Ningún evento ha fallado.",
                    "Nenhum evento falhou."),
    "dead_stub": _m("Only the beginning of this record was kept (it was too big to copy), so it cannot be replayed.",
                    "Seul le début de ce message a été gardé (il était trop gros pour être copié) : il ne peut pas "
                    "être renvoyé.",
                    "Solo se guardó el comienzo de este mensaje (era demasiado grande para copiarlo), así que no se "
                    "puede reenviar.",
                    "Só se guardou o início desta mensagem (era grande demais para copiar), por isso não pode ser "
                    "reenviada."),
    "dead_replayed": _m("Sent to its topic again.", "Renvoyé vers son sujet.", "Reenviado a su tema.",
                        "Reenviado para o seu tópico."),
    "audit_title": _m("Audit log", "Journal d'audit", "Registro de auditoría", "Registo de auditoria"),
    "action": _m("Action", "Action", "Acción", "Ação"),
    "every_action": _m("Every action", "Toutes les actions", "Todas las acciones", "Todas as ações"),
    "who_part": _m("Who (part of the name)", "Qui (une partie du nom)", "Quién (parte del nombre)",
                   "Quem (parte do nome)"),
    "filter": _m("Filter", "Filtrer", "Filtrar", "Filtrar"),
    "who": _m("Who", "Qui", "Quién", "Quem"),
    "why": _m("Why", "Pourquoi", "Por qué", "Porquê"),
    "versions": _m("Versions", "Versions", "Versiones", "Versões"),
    "no_entries": _m("No entries.", "Aucune entrée.", "Ninguna entrada.", "Nenhuma entrada."),
}

# --- mentorship health (services.matching.mentorship_health) -----------------------------
TEXT.update({
    "nav_mentorships": _m("Mentorships", "Mentorats", "Mentorías", "Mentorias"),
    "mh_title": _m("How mentorships go", "Comment vont les mentorats", "Cómo van las mentorías",
                   "Como correm as mentorias"),
    "mh_intro": _m(
        "{pairs} pairs so far, {active} active. A mentorship continues unless the trainee, the mentor or the "
        "programme ended it before its term; active pairs count as continuing so far.",
        "{pairs} binômes à ce jour, {active} actifs. Un mentorat continue sauf si le mentoré, le mentor ou le "
        "programme y a mis fin avant son terme ; les binômes actifs comptent comme continuant pour l'instant.",
        "{pairs} parejas hasta ahora, {active} activas. Una mentoría continúa salvo que la persona mentorizada, "
        "el mentor o el programa la terminen antes de su plazo; las activas cuentan como continuando por ahora.",
        "{pairs} pares até agora, {active} ativos. Uma mentoria continua salvo se o formando, o mentor ou o "
        "programa a terminarem antes do prazo; os pares ativos contam como continuando por agora."),
    "mh_sessions": _m("Sessions per pair: {value}", "Séances par binôme : {value}", "Sesiones por pareja: {value}",
                      "Sessões por par: {value}"),
    "mh_quiet": _m("Days since the last session (active pairs): median {median}, longest {longest}",
                   "Jours depuis la dernière séance (binômes actifs) : médiane {median}, maximum {longest}",
                   "Días desde la última sesión (parejas activas): mediana {median}, máximo {longest}",
                   "Dias desde a última sessão (pares ativos): mediana {median}, máximo {longest}"),
    "mh_by_mentor": _m("Continuation by mentor group", "Continuation par groupe de mentors",
                       "Continuidad por grupo de mentores", "Continuidade por grupo de mentores"),
    "mh_by_trainee": _m("Continuation by trainee group", "Continuation par groupe de mentorés",
                        "Continuidad por grupo de personas mentorizadas", "Continuidade por grupo de formandos"),
    "mh_group": _m("Group", "Groupe", "Grupo", "Grupo"),
    "mh_pairs": _m("Pairs", "Binômes", "Parejas", "Pares"),
    "mh_ended_early": _m("Ended early", "Terminés tôt", "Terminadas antes", "Terminadas cedo"),
    "mh_continuation": _m("Continuing (95 % interval)", "Continuent (intervalle à 95 %)",
                          "Continúan (intervalo del 95 %)", "Continuam (intervalo de 95 %)"),
    "mh_per_pair": _m("Sessions per pair", "Séances par binôme", "Sesiones por pareja", "Sessões por par"),
    "mh_early_title": _m("Ended early, and why", "Terminés tôt, et pourquoi", "Terminadas antes, y por qué",
                         "Terminadas cedo, e porquê"),
    "mh_by": _m("Ended by", "Terminé par", "Terminada por", "Terminada por"),
    "mh_reason": _m("Reason", "Raison", "Motivo", "Motivo"),
    "mh_none": _m("No mentorship has ended early.", "Aucun mentorat n'a pris fin avant son terme.",
                  "Ninguna mentoría ha terminado antes de tiempo.", "Nenhuma mentoria terminou antes do prazo."),
})
TEXT.update({
    "ender_trainee": _m("the trainee", "le mentoré", "la persona mentorizada", "o formando"),
    "ender_mentor": _m("the mentor", "le mentor", "el mentor", "o mentor"),
    "ender_programme": _m("the programme", "le programme", "el programa", "o programa"),
    "mh_waiting_title": _m("Follow-up sessions waiting for an answer", "Séances de suivi en attente de réponse",
                           "Sesiones de seguimiento esperando respuesta",
                           "Sessões de acompanhamento à espera de resposta"),
    "mh_waiting_none": _m("No follow-up session is waiting for an answer.",
                          "Aucune séance de suivi n'attend de réponse.",
                          "Ninguna sesión de seguimiento espera respuesta.",
                          "Nenhuma sessão de acompanhamento espera resposta."),
    "mh_mentor": _m("Mentor", "Mentor", "Mentor", "Mentor"),
    "mh_waiting_on": _m("Waiting for", "En attente de", "Esperando a", "À espera de"),
    "mh_days_waiting": _m("Days waiting", "Jours d'attente", "Días esperando", "Dias à espera"),
    "mh_session_at": _m("Session (UTC)", "Séance (UTC)", "Sesión (UTC)", "Sessão (UTC)"),
    "mh_reminded": _m("Reminder sent", "Rappel envoyé", "Recordatorio enviado", "Lembrete enviado"),
    "mh_survey_title": _m("Closing surveys", "Questionnaires de clôture", "Encuestas de cierre",
                          "Questionários finais"),
    "mh_survey_line": _m("{who}: {n} answers; usefulness {useful} of 5 ({ci_useful}); would take part again {again} "
                         "({ci_again})",
                         "{who} : {n} réponses ; utilité {useful} sur 5 ({ci_useful}) ; reprendraient part {again} "
                         "({ci_again})",
                         "{who}: {n} respuestas; utilidad {useful} de 5 ({ci_useful}); volverían a participar {again} "
                         "({ci_again})",
                         "{who}: {n} respostas; utilidade {useful} em 5 ({ci_useful}); voltariam a participar {again} "
                         "({ci_again})"),
    "mh_comment": _m("Comment", "Commentaire", "Comentario", "Comentário"),
    "mh_from": _m("From", "De", "De", "De"),
    "yes": _m("yes", "oui", "sí", "sim"),
    "no": _m("no", "non", "no", "não"),
})
