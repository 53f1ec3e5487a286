"""Speaker records: type and gender from evidence in the article, and resolution of organisations,
acronyms, documents, roles and pronouns to the name the article gives. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from saywho import Article, Speaker

Extract = Callable[[str], Article]


def speaker_of(article: Article, quote_start: str) -> Speaker:
    quote = next(q for q in article.quotes if q.text.startswith(quote_start))
    speaker = article.speaker(quote.speaker_id)
    assert speaker is not None, f"{quote.text!r} has no speaker"
    return speaker


def test_a_spokeswoman_with_no_pronoun_is_female_by_her_role_noun(extract: Extract) -> None:
    article = extract("Strike talks\n\nA union spokeswoman said the talks had collapsed.\n")
    s = speaker_of(article, "the talks")
    assert (s.type, s.gender, s.named) == ("unnamed", "female", False)
    assert [e.text for e in s.gender_evidence] == ["spokeswoman"]


def test_she_referring_back_to_a_named_woman_is_the_evidence(extract: Extract) -> None:
    article = extract("Budget vote\n\nMaria Lopez, the city's finance director, said the budget would be balanced.\n\n"
                      "She said taxes would not rise.\n")
    s = speaker_of(article, "taxes would not rise")
    assert (s.name, s.type, s.gender) == ("Maria Lopez", "person", "female")
    assert [e.text for e in s.gender_evidence] == ["She"]
    assert article.text[s.gender_evidence[0].start : s.gender_evidence[0].end] == "She"


def test_no_evidence_leaves_the_gender_unknown_whatever_the_first_name(extract: Extract) -> None:
    article = extract("Court hearing\n\nThe defendant's lawyer, Sam Obi, said the client would appeal.\n")
    s = speaker_of(article, "the client")
    assert (s.name, s.gender, s.gender_evidence) == ("Sam Obi", "unknown", [])


def test_an_honorific_states_the_gender(extract: Extract) -> None:
    article = extract("Council row\n\nMrs. Okafor said the vote had been rigged.\n")
    assert speaker_of(article, "the vote").gender == "female"


def test_an_acronym_and_the_agency_are_the_organisation_named_in_full(extract: Extract) -> None:
    article = extract("Border review\n\nCustoms and Border Protection opened an inquiry on Monday.\n\n"
                      "The agency said the review would take months.\n\n"
                      "CBP said in a second statement that no officers had been suspended.\n")
    first, second = speaker_of(article, "the review"), speaker_of(article, "no officers")
    assert first.id == second.id
    assert (first.name, first.type, first.named) == ("Customs and Border Protection", "organisation", True)
    assert "CBP" in first.aliases


def test_a_statement_speaks_for_its_issuer(extract: Extract) -> None:
    article = extract("Label answers singer\n\nBig Machine Records denied the claims on Thursday.\n\n"
                      "“We have never blocked a performance,” the statement said.\n")
    s = speaker_of(article, "We have never")
    assert (s.name, s.type) == ("Big Machine Records", "organisation")
    assert "statement" in s.descriptors


def test_a_report_from_a_named_firm_is_the_firm(extract: Extract) -> None:
    article = extract("Bank shares\n\nA report from Kotak Institutional Equities said lenders would raise rates.\n")
    assert speaker_of(article, "lenders").name == "Kotak Institutional Equities"


def test_the_title_stated_with_the_name_resolves_the_role(extract: Extract) -> None:
    article = extract("Storm\n\nGovernor Ana Ruiz declared an emergency on Sunday.\n\n"
                      "The governor said shelters were open in every county.\n")
    assert speaker_of(article, "shelters").name == "Ana Ruiz"


def test_she_is_never_a_company_and_it_is_never_a_person(extract: Extract) -> None:
    article = extract("Plant closure\n\nThe company said the plant would close in June.\n\n"
                      "It said the workers would be offered jobs elsewhere.\n")
    company, it = speaker_of(article, "the plant"), speaker_of(article, "the workers")
    assert company.id == it.id and company.type == "organisation"


def test_a_possessed_description_is_not_the_organisation_named_before(extract: Extract) -> None:
    article = extract("Trade pact clears the Senate\n\nThe farmers' union said it would fight the pact in court.\n")
    s = speaker_of(article, "it would fight")
    assert s.name != "Senate" and s.type == "organisation" and not s.named


def test_an_ad_is_a_document_not_a_person(extract: Extract) -> None:
    article = extract("Campaign\n\nThe new ad says the senator voted against veterans.\n")
    assert speaker_of(article, "the senator").type == "document"


@pytest.mark.parametrize("text,quote,name,kind", [
    ("Fact check\n\nPolitiFact said the claim was false.\n", "the claim", "PolitiFact", "organisation"),
    ("Voting law\n\nThe National Voter Registration Act says states must offer registration at offices.\n",
     "states must", "National Voter Registration Act", "document"),
    ("Talks\n\nFrench Foreign Minister Jean-Marc Ayrault said the talks would resume.\n", "the talks",
     "Jean-Marc Ayrault", "person"),
    ("Cars\n\nGeneral Motors said the plant would close. The company said it would cut jobs.\n", "it would cut",
     "General Motors", "organisation"),
    ("Mines\n\nPatriot Coal said the mine would reopen in the spring.\n", "the mine", "Patriot Coal", "organisation"),
    ("Column\n\nVann R. Newkirk II wrote that the law had failed black voters.\n", "the law", "Vann R Newkirk II",
     "person"),
])
def test_a_name_is_typed_by_its_shape_and_its_title(extract: Extract, text: str, quote: str, name: str,
                                                    kind: str) -> None:
    s = speaker_of(extract(text), quote)
    assert (s.name, s.type) == (name, kind)


@pytest.mark.parametrize("text,quote,kind", [
    ("Climate\n\nThe scientific community says the warming is man-made.\n", "the warming", "group"),
    ("Trade\n\nSmall groups of farmers said the tariffs would ruin them.\n", "the tariffs", "group"),
    ("Border\n\nThe country said the border would stay closed.\n", "the border", "organisation"),
    ("Poll\n\nSeventy-four percent of voters said the economy was their first concern.\n", "the economy", "group"),
])
def test_descriptions_are_typed_by_what_they_denote(extract: Extract, text: str, quote: str, kind: str) -> None:
    assert speaker_of(extract(text), quote).type == kind


def test_a_rank_with_no_name_is_unnamed(extract: Extract) -> None:
    article = extract("Security\n\nRetired General said the plan would fail.\n")
    s = speaker_of(article, "the plan")
    assert s.type == "unnamed" and not s.named


def test_the_company_is_left_unnamed_when_two_companies_could_be_meant(extract: Extract) -> None:
    article = extract("Car sales\n\nNissan and Volkswagen both showed new electric models on Tuesday.\n\n"
                      "The automaker said its model would go on sale next year.\n")
    s = speaker_of(article, "its model")
    assert not s.named and s.type == "organisation"


def test_a_sons_suffix_states_the_gender_but_a_first_name_does_not(extract: Extract) -> None:
    son = speaker_of(extract("Campaign\n\nDonald Trump Jr. said the campaign would win Ohio.\n"), "the campaign")
    assert son.gender == "male" and [e.text for e in son.gender_evidence] == ["Donald Trump Jr."]
    maria = speaker_of(extract("Campaign\n\nMaria Gonzalez said the campaign would win Ohio.\n"), "the campaign")
    assert maria.gender == "unknown"


def test_who_makes_a_described_source_someone(extract: Extract) -> None:
    article = extract("Golf\n\nHe refused to pay an architect who said he was stiffed after he designed a "
                      "clubhouse at one of the courses.\n")
    s = speaker_of(article, "he was stiffed")
    assert s.type == "unnamed" and s.name == "architect"


def test_a_named_possessor_stays_in_the_description(extract: Extract) -> None:
    article = extract("Media\n\nBoth hosts say RT's management has never told them what to say or not to say "
                      "on the air.\n")
    s = speaker_of(article, "them what to say")
    assert s.name == "RT's management" and s.type == "group"


def test_the_left_of_politics_is_a_group(extract: Extract) -> None:
    article = extract("Debate\n\nThe left is saying that the moderator should have corrected him on the air.\n")
    s = speaker_of(article, "the moderator should")
    assert s.type == "group"


def test_a_column_label_is_no_turn(extract: Extract) -> None:
    article = extract("The Latest: Tax records were not leaked from the state, officials say\n\n"
                      "The Latest: Tax records were not leaked from the state revenue office.\n")
    assert not [q for q in article.quotes if q.speaker and q.speaker.text == "The Latest"]


def test_a_surname_that_is_also_a_title_is_a_name_after_an_honorific(extract: Extract) -> None:
    article = extract("Television\n\nMr. King said the network had never told him what to say on the air.\n")
    s = speaker_of(article, "the network had")
    assert s.named and s.type == "person" and s.gender == "male"
    office = extract("Debate\n\nMr. President, the moderator said, the time is up for the answer tonight.\n")
    assert all(sp.name != "President" for sp in office.speakers)


def test_a_word_the_tagger_runs_into_a_name_is_left_out(extract: Extract) -> None:
    article = extract("Coal\n\nUnlike Patriot Coal, Arch said it would keep paying pensions to retired miners. "
                      "Patriot Coal said it could not.\n")
    assert all(not sp.name.startswith("Unlike") for sp in article.speakers)


def test_own_leans_on_the_possessive_left_out(extract: Extract) -> None:
    article = extract("Taxes\n\nThe company holds billions offshore, according to its own website.\n")
    s = speaker_of(article, "The company holds")
    assert s.name == "website"


def test_a_person_the_tagger_took_for_an_organisation_by_the_role_stated(extract: Extract) -> None:
    article = extract("North Korea\n\nJean-Marc Ayrault, the foreign minister of France, said the test was a "
                      "provocation that could not go unanswered.\n")
    s = speaker_of(article, "the test was")
    assert s.name == "Jean-Marc Ayrault" and s.type == "person"


def test_a_family_is_a_group(extract: Extract) -> None:
    article = extract("Shooting\n\nScott's family said he was unarmed when the officer shot him.\n")
    assert speaker_of(article, "he was unarmed").type == "group"


def test_a_contraction_joins_its_one_word_name(extract: Extract) -> None:
    article = extract("Cars\n\nVolkswagen showed a new electric wagon at the show on Tuesday.\n\n"
                      "VW says the wagon will go on sale in Europe next year.\n")
    s = speaker_of(article, "the wagon will")
    assert s.name == "Volkswagen" and "VW" in s.aliases


def test_an_acronym_of_a_run_of_the_name_joins_it(extract: Extract) -> None:
    article = extract("Plague\n\nThe Chinese Center for Disease Control and Prevention confirmed two cases.\n\n"
                      "The CDC said the risk of transmission was extremely low.\n")
    s = speaker_of(article, "the risk of")
    assert s.name == "Chinese Center for Disease Control and Prevention" and s.type == "organisation"


def test_two_names_an_acronym_could_stand_for_leave_it_alone(extract: Extract) -> None:
    article = extract("Cars\n\nVolkswagen and Vanwall showed new cars at the show on Tuesday.\n\n"
                      "VW says the wagon will go on sale in Europe next year.\n")
    assert speaker_of(article, "the wagon will").name == "VW"


def test_the_statement_refers_back_to_the_one_its_issuer_put_out(extract: Extract) -> None:
    article = extract("Feud\n\nOn Monday, Big Machine Records issued a statement that appeared to let the singer "
                      "perform.\n\nThe statement, which was obtained by Variety, claimed that the label had agreed "
                      "to the show.\n\n\"Label approval is only needed for recordings,\" the statement continued.\n")
    assert speaker_of(article, "the label had").name == "Big Machine Records"
    assert speaker_of(article, "Label approval").name == "Big Machine Records"  # not Variety, named between


def test_a_role_noun_before_a_name_tagged_org_makes_a_person(extract: Extract) -> None:
    article = extract("Cuts\n\nJob cuts will be announced this week, said the group's recently named executive chair "
                      "Marcelo Claure in an email to staff.\n\nNext steps will be shared at a meeting on Friday, "
                      "Claure said in the email.\n\nHe said the company needs a more efficient organization.\n")
    s = speaker_of(article, "the company needs")
    assert s.name == "Marcelo Claure" and s.type == "person"


def test_a_definite_role_stands_for_the_one_person_named_just_before(extract: Extract) -> None:
    article = extract("Climate\n\nGraham has been critical of Trump since the primary. In June, the South Carolina "
                      "senator called on fellow Republicans to drop their support for the nominee.\n")
    assert speaker_of(article, "to drop their").name == "Graham"


def test_a_definite_role_stays_unnamed_with_two_people_or_another_role(extract: Extract) -> None:
    two = extract("Court\n\nMaria Smith met David Jones on Monday.\n\nThe senator said the bill would pass.\n")
    assert not speaker_of(two, "the bill would").named
    other = extract("Court\n\nMaria Smith, a voter from Ohio, came on Monday.\n\nThe senator said the bill would "
                    "pass.\n")
    assert not speaker_of(other, "the bill would").named


def test_a_title_word_with_a_role_beside_it_is_a_surname(extract: Extract) -> None:
    named = extract("Debate\n\nDean, a former party chairman and presidential candidate, said the debate had been "
                    "a mess from the start.\n")
    s = speaker_of(named, "the debate had")
    assert s.named and s.type == "person"
    rank = extract("Campus\n\nThe dean said the college would reopen in the fall.\n")
    assert not speaker_of(rank, "the college would").named


def test_which_and_who_tell_things_from_people(extract: Extract) -> None:
    thing = extract("Letter\n\nMy father died 22 years ago of brain cancer, which confirmed what I always knew "
                    "about him.\n")
    assert speaker_of(thing, "what I always").type == "document"
    nobody = extract("Party\n\nFowler argued that the party should set up an even more detailed process for those "
                     "who might seek to be the successor.\n")
    assert all(sp.name != "even more detailed process" for sp in nobody.speakers)


def test_a_plural_that_opens_its_sentence_is_a_group_not_a_name(extract: Extract) -> None:
    article = extract("Tulsa\n\nThe protest remained peaceful.\n\nDemonstrators said they want justice for "
                      "Terrence, but pledged to remain civil.\n")
    s = speaker_of(article, "they want")
    assert s.type == "group" and not s.named


def test_a_surname_with_its_particle_joins_the_full_name(extract: Extract) -> None:
    article = extract("De Blasio says the Chelsea explosion was an intentional act\n\nTwenty-nine people were "
                      "injured by an explosion that Mayor Bill de Blasio described as an intentional act.\n\n"
                      "De Blasio said there did not appear to be any link to the blasts in New Jersey.\n")
    s = speaker_of(article, "there did not")
    assert s.name == "Bill de Blasio" and s.type == "person"


def test_a_journal_is_an_organisation(extract: Extract) -> None:
    article = extract("Health\n\nA top British medical journal said the study was flawed from the start.\n")
    assert speaker_of(article, "the study was").type == "organisation"


def test_a_poll_figure_is_no_name(extract: Extract) -> None:
    article = extract("Polls\n\nIn the Daybreak poll, Trump 47.3 percent, Clinton 41.7 percent.\n\nThe poll found that "
                      "Trump rose one point since the debate.\n")
    assert all("percent" not in sp.name for sp in article.speakers)


def test_a_role_noun_finds_the_title_it_stands_for(extract: Extract) -> None:
    article = extract("Russia\n\nRep. Adam Schiff, the top Democrat on the House Intelligence Committee, called on "
                      "President Obama to retaliate for meddling the California congressman said is designed to sow "
                      "discord in American politics.\n")
    assert speaker_of(article, "is designed to").name == "Adam Schiff"


def test_an_indefinite_or_plural_document_is_not_given_the_organisation_nearby(extract: Extract) -> None:
    article = extract("Ads\n\nThe Electoral Commission said voters were entitled to transparency from campaigners.\n\n"
                      "Parliamentary reports have urged new regulations on online ads for years.\n\n"
                      "It pointed out that it had no role in regulating campaign content.\n")
    assert speaker_of(article, "new regulations").name != "Electoral Commission"
    assert speaker_of(article, "it had no role").name == "Electoral Commission"  # "it" is never the reports


def test_the_company_that_put_a_statement_out_is_its_issuer(extract: Extract) -> None:
    article = extract("Feud\n\nThe singer accused Big Machine Records of blocking her film.\n\nThe company flatly "
                      "denied the allegations in a statement shared to its website.\n")
    assert speaker_of(article, "the allegations").name == "Big Machine Records"


def test_a_pronoun_takes_the_person_named_earlier_in_its_sentence(extract: Extract) -> None:
    article = extract("Impeachment\n\n\"There was no quid pro quo,\" Joe Biden said on Tuesday.\n\nGordon Sondland "
                      "arrived early. Yet Sondland has already amended his testimony once, and he said he now "
                      "recalls talking to Ukraine about investigations.\n")
    assert speaker_of(article, "he now recalls").name == "Gordon Sondland"  # not the last speaker, Biden


def test_a_definite_role_as_subject_continues_the_subject_before_it(extract: Extract) -> None:
    article = extract("Leave\n\nIvanka Trump, the nominee's eldest daughter, noted the rule in the interview last "
                      "week. When pressed on why the plan leaves out dads, the 34-year-old mother of three replied "
                      "that the plan was meant to benefit mothers.\n")
    assert speaker_of(article, "the plan was meant").name == "Ivanka Trump"


def test_who_after_a_role_in_apposition_is_the_person_named(extract: Extract) -> None:
    article = extract("Emails\n\nRepublicans questioned John Bentel, a tech staffer at the State Department who "
                      "told his subordinates never to speak of the server.\n")
    assert speaker_of(article, "his subordinates").name == "John Bentel"


def test_who_stands_for_people_not_the_thing_before_it(extract: Extract) -> None:
    article = extract("Radio\n\nBy 9 a.m. Sunday, the Rev. Al Sharpton began taking calls from black listeners to "
                      "his radio program who said they had misgivings about the race.\n")
    s = speaker_of(article, "they had misgivings")
    assert s.name == "black listeners" and s.type == "group"


def test_in_a_quote_he_is_the_subject_named_not_what_it_is_called(extract: Extract) -> None:
    article = extract("Caucus\n\n\"This is a disgusting day,\" said Rep. G.K. Butterfield. \"Donald Trump is a "
                      "disgusting fraud. He started this silliness years ago by saying the president is not a "
                      "citizen.\"\n")
    assert speaker_of(article, "the president is not").name == "Donald Trump"


def test_statistics_are_a_document(extract: Extract) -> None:
    article = extract("Moms\n\nAbout 9.9 million single mothers live in the United States, according to federal "
                      "statistics.\n")
    assert speaker_of(article, "About 9.9 million").type == "document"


def test_the_clause_cue_names_the_speaker_not_the_outlet_it_was_read_in(extract: Extract) -> None:
    # "X said Y, according to Z": Y is X's quote; Z's report of it ("X said Y") stays a report
    # of its own, as "aides said the senator plans to run" keeps both
    article = extract("Outbreak\n\nThe county health department said it had traced everyone who might have been "
                      "exposed to the patient, according to a reporter for the Daily Star.\n\n"
                      "But according to the Daily Star, Ann Price wrote in a blog post that the patient had been "
                      "admitted a week earlier.\n")
    assert speaker_of(article, "it had traced").type == "organisation"
    assert speaker_of(article, "the patient had been admitted").name == "Ann Price"


def test_a_fronted_clause_is_what_the_sentence_final_speaker_said(extract: Extract) -> None:
    article = extract("Outbreak\n\nAs yet, there is no evidence linking the third case to the first two, the "
                      "regional health commission said, according to local radio.\n\n"
                      "As the mayor noted at the time, the closures meant that most shops would stay shut for "
                      "a month.\n")
    s = speaker_of(article, "As yet, there is no evidence")
    assert s.type == "organisation" and "health commission" in s.name
    # the same words are one quote, not a second one credited to the radio
    assert len([q for q in article.quotes if q.text.startswith("As yet")]) == 1
    assert speaker_of(article, "the closures meant").name == "mayor"


def test_a_that_clause_parsed_onto_the_statement_is_the_verbs(extract: Extract) -> None:
    article = extract("Threat case\n\nLena Ward, the defendant's attorney, told reporters in a statement that her "
                      "client never intended to cause harm.\n\n"
                      "\u201cMy client regrets what he said,\u201d she said in an email.\n")
    assert speaker_of(article, "her client never intended").name == "Lena Ward"
    assert speaker_of(article, "My client regrets").name == "Lena Ward"


def test_a_name_with_a_relative_who_is_a_person_even_when_tagged_an_organisation(extract: Extract) -> None:
    article = extract("Prison case\n\nDefense attorneys said the two guards would fight the charges. \u201cWe hope "
                      "to reach an agreement,\u201d said Jason Wells, who represents one guard.\n\n"
                      "Montell Briggs, who represents the other, said his client would not accept a plea deal. "
                      "He said his client is a single father of three children.\n")
    s = speaker_of(article, "his client would not")
    assert (s.name, s.type) == ("Montell Briggs", "person")
    assert speaker_of(article, "his client is a single father").name == "Montell Briggs"


def test_the_office_of_a_title_is_an_organisation_not_a_person(extract: Extract) -> None:
    article = extract("Threat case\n\nThe U.S. Attorney's Office for the Northern District said the man would be "
                      "sentenced in May.\n")
    assert speaker_of(article, "the man would be sentenced").type == "organisation"


def test_a_pronoun_in_a_clause_its_described_subject_governs_is_that_person(extract: Extract) -> None:
    # "he" is the man who pleaded guilty, not the congresswoman the headline names
    article = extract("Man admits threatening Rep. Dana Hill\n\nA New York man pleaded guilty to charges he "
                      "threatened to kill Rep. Dana Hill.\n\nHill asked for compassion in a letter, saying she did "
                      "not think a severe sentence would help. She added, \u201cWe must answer hate with love.\u201d\n")
    threat = next(q for q in article.quotes if "to kill" in q.text)
    man = article.speaker(threat.speaker_id)
    assert man is not None and not man.named and man.gender == "male"
    hill = speaker_of(article, "We must answer hate")
    assert (hill.name, hill.gender) == ("Dana Hill", "female")


def test_a_long_relative_clause_does_not_lose_the_subject_of_its_verb(extract: Extract) -> None:
    article = extract("Office giant under scrutiny\n\nThe state attorney general is investigating Deskly, a shared "
                      "office provider.\n\nThe company, which is expected to lay off thousands of employees "
                      "beginning this week as it faces ballooning losses, confirmed on Monday that it had been "
                      "contacted by the attorney general's office.\n")
    assert speaker_of(article, "it had been contacted").name == "Deskly"


def test_a_statement_warning_that_speaks_for_its_issuer_and_it_goes_on_with_it(extract: Extract) -> None:
    article = extract("Ads row\n\nIn a reflection of the confusion, the Electoral Commission, which regulates "
                      "campaign finances, issued a statement warning that \u201cvoters are entitled to transparency "
                      "from campaigners.\u201d Critically, however, it pointed out that it doesn\u2019t have "
                      "\u201ca role in regulating campaign content.\u201d\n")
    assert speaker_of(article, "voters are entitled").name == "Electoral Commission"
    pointed = next(q for q in article.quotes if q.cue is not None and q.cue.text == "pointed out")
    assert "voters" not in pointed.text  # the quotation before the sentence is not this cue's
    assert article.speaker(pointed.speaker_id).name == "Electoral Commission"


def test_a_closing_participle_goes_on_with_the_speaker_not_the_reported_subject(extract: Extract) -> None:
    article = extract("Settlements\n\nSecretary of State Mike Pompeo said that after legal consultation Washington "
                      "had concluded the settlements were not inconsistent with international law, saying he "
                      "trusted the Israeli courts to decide.\n")
    assert speaker_of(article, "he trusted the Israeli courts").name == "Mike Pompeo"


def test_a_surname_that_is_also_a_word_is_the_speaker_the_tagger_missed(extract: Extract) -> None:
    article = extract("Cloud gaming\n\nChris Early, a vice president at the publisher, spoke at the launch.\n\n"
                      "Bandwidth is less of an issue in cities, but Early still says the studio believes in "
                      "streaming as the future of the industry.\n")
    s = speaker_of(article, "the studio believes")
    assert s.name == "Chris Early"
    # a word capitalised because it opens the sentence is no name
    article = extract("Markets\n\nEarly trading was calm. Still says nothing about the outlook, the analyst said.\n")
    assert all(sp.name != "Early" for sp in article.speakers)


def test_a_company_the_tagger_took_for_a_person_is_what_the_production_company_means(extract: Extract) -> None:
    article = extract("Awards row\n\nDick Clark Productions denied that it had reached a deal with the label.\n\n"
                      "\u201cAt no time did we agree to the statement,\u201d the production company said in a "
                      "separate statement.\n")
    s = speaker_of(article, "At no time")
    assert (s.name, s.type) == ("Dick Clark Productions", "organisation")


def test_the_words_after_a_sentence_final_said_are_its_subject_whatever_the_parse(extract: Extract) -> None:
    article = extract("Layoffs\n\nJob cuts will be announced later this week in areas that do not support the core "
                      "business, said the company's recently named executive chair Marcelo Claure in an email to "
                      "staff.\n\nThe envoy was known for telling others he was in charge of the talks, said another "
                      "witness in the probe, former White House adviser Fiona Hill.\n")
    assert speaker_of(article, "Job cuts will be announced").name == "Marcelo Claure"
    assert speaker_of(article, "The envoy was known").name == "Fiona Hill"


def test_a_pronoun_opening_a_paragraph_continues_the_last_sentences_subject(extract: Extract) -> None:
    # the last speaker quoted (the commissioner) is not the one the sentence before is about
    article = extract("Settlements\n\nPrime Minister Benjamin Netanyahu said he was moved by the announcement.\n\n"
                      "The UN human rights commissioner, Volker Brandt, said the decision did not change "
                      "international law.\n\nNetanyahu visited a settlement bloc in the West Bank on Tuesday.\n\n"
                      "\u201cHere we are on a historic day,\u201d he told settler leaders.\n")
    assert speaker_of(article, "Here we are").name == "Benjamin Netanyahu"


def test_an_agency_after_former_is_still_an_agency(extract: Extract) -> None:
    # "a former NASA associate administrator": "former" qualifies the title, NASA stays an agency
    article = extract("Moon rocket\n\n\u201cThe fewer launches per mission, the better,\u201d said Doug Cooke, a "
                      "former NASA associate administrator.\n\nRep. Brian Babin said the agency needed a heavy "
                      "rocket. He criticised NASA\u2019s lander plans.\n\n\u201cSwitching horses midstream is not "
                      "wise,\u201d he continued.\n")
    nasa = [s for s in article.speakers if s.name == "NASA"]
    assert all(s.type == "organisation" for s in nasa)
    assert speaker_of(article, "Switching horses").name == "Brian Babin"


def test_a_role_acronym_is_a_described_person_not_an_organisation(extract: Extract) -> None:
    article = extract("Banking\n\nThey are focused on their customers\u2019 financial health, one neo-bank CEO "
                      "told me.\n")
    s = speaker_of(article, "They are focused")
    assert (s.type, s.named) == ("unnamed", False)


def test_a_quantifier_as_subject_is_an_unnamed_group_not_the_last_speaker(extract: Extract) -> None:
    article = extract("Banks\n\nOne neo-bank CEO told me they were different. But all of them say, explicitly or "
                      "by intimation, that they are mission-driven.\n")
    s = speaker_of(article, "they are mission-driven")
    assert (s.type, s.named) == ("group", False)
    assert speaker_of(article, "they were different").id != s.id


def test_the_writers_we_outside_quotation_marks_is_no_organisation(extract: Extract) -> None:
    article = extract("Game deals\n\nAmazon is offering Prime members a $10 gift card with the game. Normally the "
                      "deal ends at release, but we confirmed that buyers still receive the credit.\n")
    quote = next(q for q in article.quotes if q.text.startswith("buyers still receive"))
    assert quote.speaker_id is None or article.speaker(quote.speaker_id).name != "Amazon"


def test_a_company_the_tagger_calls_a_person_once_keeps_its_usual_label(extract: Extract) -> None:
    # the tagger reads "Recent Samsung" as a person's name; everywhere else Samsung is a company
    article = extract("TV review\n\nSamsung was the first to ship the feature. Recent Samsung smart TVs also "
                      "include it. I tested a Samsung TV for a week, and Samsung said more models would follow. "
                      "On the day that Samsung announced the update, its shares rose.\n")
    for q in article.quotes:
        s = article.speaker(q.speaker_id) if q.speaker_id else None
        if s is not None and s.name == "Samsung":
            assert s.type == "organisation"
    assert any(article.speaker(q.speaker_id).name == "Samsung" for q in article.quotes if q.speaker_id)


def test_a_surname_shared_by_two_people_is_a_person_even_where_the_tagger_says_company(extractor) -> None:
    # A profile of Mike Ford that names his brother Dale Ford, where the tagger also ran "Ford"
    # into an organisation's name somewhere ("John M. Ford Papers" tagged ORG): "Ford" is a person.
    from saywho.ingest import ingest
    from saywho.speakers.resolver import Resolver

    text = "Remembering a novelist\n\nMike Ford wrote eleven novels. His brother Dale Ford runs the family farm.\n"
    resolver = Resolver(extractor.parse(ingest(text, "text")), [])
    resolver.org_words.add("ford")
    assert resolver._known_person("Ford")
    assert not resolver._known_person("Farm")


def test_a_relative_clause_running_into_a_second_subject_keeps_the_first(extract: Extract) -> None:
    # the parser gives "said" two subjects; "agency policy" ends the relative clause
    article = extract("Flu shots\n\nA spokesperson who did not wish to be named because of agency policy said in a "
                      "statement that the agency has never administered vaccines.\n\nThose in favor of the plan "
                      "have said that the clinic could open within a week.\n")
    s = speaker_of(article, "the agency has never")
    assert "spokesperson" in s.name and "policy" not in s.name
    those = speaker_of(article, "the clinic could open")
    assert (those.type, those.named) == ("group", False)
