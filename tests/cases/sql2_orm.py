"""Annotated cases for the ORM fragment checks: SQL201, SQL202 and SQL203.

This file is linted with every SQL code selected; it is never imported or run.

* A line whose trailing comment is ``expect:`` followed by codes separated by commas
  must produce exactly those findings.
* A line whose trailing comment is ``ok`` is a deliberate safe look-alike and must
  produce none.
* Every other line must produce no finding either.

SQL201/SQL202 are reported on the line of the fragment (the ``text(``,
``literal_column(``, ``RawSQL(`` or ``SQL(`` call, or the bare string), SQL203 on the
line of the offending argument (the variable, the dynamic keyword, the kind).
"""
import logging

from django.db import models
from django.db.models import Count, F, Func, Q, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Extract, Trunc, TruncMonth
from django.http import JsonResponse
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from peewee import SQL, CharField, IntegerField, Model, SqliteDatabase, fn
from sqlalchemy import Column, ForeignKey, Integer, String, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session, declarative_base

logger = logging.getLogger(__name__)

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(100))
    country = Column(String(2))
    score = Column(Integer)


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    kind = Column(String(20))


# --- SQLAlchemy: text() and bare strings in clauses ---------------------------------


def users_named(session: Session, name):
    unsafe = session.query(User).filter(text(f"name = '{name}'")).all()  # expect: SQL201
    safe = session.query(User).filter(User.name == name).all()  # ok
    by_kw = session.query(User).filter_by(name=name).all()  # ok
    bound = session.query(User).filter(text("name = :name").bindparams(name=name)).all()  # ok
    return unsafe + safe + by_kw + bound


def search_users(session: Session, term):
    like = session.query(User).filter(User.name.like(f"%{term}%")).all()  # ok
    ilike = session.query(User).filter(User.name.ilike("%" + term + "%")).all()  # ok
    contains = session.query(User).filter(User.name.contains(term)).all()  # ok
    raw_like = session.query(User).filter(text("name LIKE '%" + term + "%'")).all()  # expect: SQL201
    return like + ilike + contains + raw_like


def legacy_string_filter(session: Session, country):
    legacy = session.query(User).filter(f"country = '{country}'").all()  # expect: SQL201
    fixed = session.query(User).filter(text("country = 'NL'")).all()  # ok
    return legacy + fixed


def top_scores(session: Session, min_score):
    stmt = select(User).where(text(f"score > {min_score}"))  # expect: SQL201
    numeric = select(User).where(text(f"score > {int(min_score)}"))  # ok
    safe_stmt = select(User).where(User.score > min_score).order_by(User.score.desc())  # ok
    rows = session.execute(safe_stmt).scalars().all()  # ok
    named = select(User).where(User.name == bindparam("n"))  # ok
    return stmt, numeric, rows, named


def where_formatted(session: Session, country, limit):
    by_format = select(User).where(text("country = '{}'".format(country)))  # expect: SQL201
    by_percent = select(User).where(text("score > %d" % limit))  # ok
    in_list = select(User).where(User.country.in_(country.split(",")))  # ok
    return session.execute(in_list).scalars().all(), by_format, by_percent  # ok


def sorted_users(session: Session, column_name, direction, newest):
    built = session.query(User).order_by(f"{column_name} {direction}").all()  # expect: SQL201
    as_text = session.query(User).order_by(text(column_name + " DESC")).all()  # expect: SQL201
    qualified = session.query(User).order_by(f"users.{column_name}").all()  # expect: SQL201
    chosen = User.name if newest else User.id
    picked = session.query(User).order_by(chosen).all()  # ok
    fixed = session.query(User).order_by(User.name.desc(), User.id).all()  # ok
    return built + as_text + qualified + picked + fixed


def grouped(session: Session, dim, min_count):
    having = session.query(User.country, func.count(User.id)).group_by(User.country).having(text(f"count(*) > {min_count}")).all()  # expect: SQL201
    safe = session.query(User.country, func.count(User.id)).group_by(User.country).having(func.count(User.id) > min_count).all()  # ok
    numeric = session.query(User.country).group_by(User.country).having(text(f"count(*) > {int(min_count)}")).all()  # ok
    by_dim = session.query(func.count(User.id)).group_by(dim).all()  # expect: SQL203
    return having + safe + numeric + by_dim


def joined(session: Session, kind, schema, field):
    on_text = session.query(User).join(Address, text(f"addresses.user_id = users.id AND addresses.kind = '{kind}'")).all()  # expect: SQL201
    on_expr = session.query(User).join(Address, Address.user_id == User.id).filter(Address.kind == kind).all()  # ok
    from_text = select(column("id")).select_from(text(f"{schema}.users"))  # expect: SQL201
    distinct_on = session.query(User.name).distinct(text(f"lower({field})")).all()  # expect: SQL201
    distinct_safe = session.query(User.name).distinct(func.lower(User.name)).all()  # ok
    return on_text + on_expr + distinct_on + distinct_safe, from_text


# --- SQLAlchemy: literal_column(), column(), table() ------------------------------


def report_columns(metric, label, year):
    summed = select(literal_column(f"sum({metric})").label("total"))  # expect: SQL201
    raw_metric = select(literal_column(metric))  # expect: SQL203
    by_label = select(column(label)).select_from(table("users"))  # expect: SQL203
    partition = select(column("id")).select_from(table(f"events_{year}"))  # expect: SQL201
    counted = select(literal_column("count(*)").label("n")).select_from(table("users"))  # ok
    named = select(column("name")).select_from(table("users", column("name")))  # ok
    filtered = select(column("id")).where(column("name") == label)  # ok
    return summed, raw_metric, by_label, partition, counted, named, filtered


def orders_with_users(session, users, orders, status, onclause):
    """A table's join(other, onclause) is no str.join()."""
    joined = users.join(orders, onclause)
    outer = users.join(orders, users.c.id == orders.c.user_id, isouter=True)
    stmt = select(users).select_from(joined).where(orders.c.status == status)  # ok
    return session.execute(stmt), session.execute(select(users).select_from(outer))  # ok


# --- Flask-SQLAlchemy ----------------------------------------------------------------

app = Flask(__name__)
db = SQLAlchemy(app)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200))
    views = db.Column(db.Integer)


@app.route("/posts")
def list_posts():
    title = request.args.get("title", "")
    sort = request.args.get("sort", "id")
    unsafe = Post.query.filter(text(f"title = '{title}'")).all()  # expect: SQL201
    safe = Post.query.filter(Post.title == title).all()  # ok
    by_kw = Post.query.filter_by(title=title).all()  # ok
    ordered = Post.query.order_by(sort).all()  # expect: SQL203
    ordered_safe = Post.query.order_by(Post.views.desc()).all()  # ok
    # Flask-SQLAlchemy's Model.query takes a string here as SQL text, one name or not
    by_prefix = Post.query.group_by("category_{}".format(sort)).all()  # expect: SQL201
    via_session = db.session.query(Post).filter(text("views > " + request.args["min"])).all()  # expect: SQL201
    pattern = db.session.query(Post).filter(Post.title.like(f"{title}%")).all()  # ok
    return jsonify(n=len(unsafe + safe + by_kw + ordered + ordered_safe + by_prefix + via_session + pattern))


# --- peewee ----------------------------------------------------------------------------

blog_db = SqliteDatabase("blog.db")


class Entry(Model):
    title = CharField()
    rating = IntegerField()

    class Meta:
        database = blog_db


def entries(title, min_rating, sort):
    unsafe = Entry.select().where(SQL(f"title = '{title}'"))  # expect: SQL201
    safe = Entry.select().where(SQL("title = ?", [title]))  # ok
    native = Entry.select().where(Entry.title == title)  # ok
    contains = Entry.select().where(Entry.title.contains(title))  # ok
    ordered = Entry.select().order_by(SQL("%s DESC" % sort))  # expect: SQL201
    ordered_safe = Entry.select().order_by(Entry.rating.desc())  # ok
    having = Entry.select(Entry.title, fn.COUNT(Entry.id)).group_by(Entry.title).having(SQL("count(*) > " + str(min_rating)))  # expect: SQL201
    formatted = Entry.select().where(SQL("rating > {}".format(min_rating)))  # expect: SQL201
    numeric = Entry.select().where(SQL("rating > %d" % min_rating))  # ok
    counted = Entry.select(Entry.title, fn.COUNT(Entry.id)).group_by(Entry.title)  # ok
    return unsafe, safe, native, contains, ordered, ordered_safe, having, formatted, numeric, counted


# --- Django: extra(), RawSQL, template= ---------------------------------------------


class Article(models.Model):
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=100)
    created = models.DateTimeField()
    views = models.IntegerField(default=0)


class Lower(Func):
    function = "LOWER"
    template = "%(function)s(%(expressions)s)"


def articles_by_author(request):
    author = request.GET.get("author", "")
    unsafe = Article.objects.extra(where=[f"author = '{author}'"])  # expect: SQL202
    safe = Article.objects.extra(where=["author = %s"], params=[author])  # ok
    orm = Article.objects.filter(author=author)  # ok
    either = Article.objects.filter(Q(author=author) | Q(title__icontains=author))  # ok
    return JsonResponse({"n": unsafe.count() + safe.count() + orm.count() + either.count()})


def articles_with_flags(min_views, prefix, col):
    flagged = Article.objects.extra(select={"popular": "views > %s" % min_views})  # expect: SQL202
    flagged_safe = Article.objects.extra(select={"popular": "views > %s"}, select_params=(min_views,))  # ok
    recent = Article.objects.extra(select={"is_recent": "created > '2006-01-01'"})  # ok
    joined = Article.objects.extra(tables=[f"{prefix}_stats"])  # expect: SQL202
    ordered = Article.objects.extra(order_by=[col + " DESC"])  # expect: SQL202
    return flagged, flagged_safe, recent, joined, ordered


def articles_matching(min_views, prefix):
    return Article.objects.extra(
        where=[
            "views > %s",  # ok
            f"title LIKE '{prefix}%%'",  # expect: SQL202
        ],
        params=[min_views],
    )


def annotated(pk, column_name):
    unsafe = Article.objects.annotate(val=RawSQL(f"COALESCE({column_name}, 0)", ()))  # expect: SQL202
    safe = Article.objects.annotate(val=RawSQL("COALESCE(views, %s)", (pk,)))  # ok
    ordered = Article.objects.order_by(RawSQL("views * %s", (2,)))  # ok
    lowered = Article.objects.annotate(low=Lower("title"))  # ok
    return unsafe, safe, ordered, lowered


def substrings(start, fmt):
    unsafe = Article.objects.annotate(part=Func(F("title"), template=f"SUBSTRING(%(expressions)s FROM {start})"))  # expect: SQL202
    safe = Article.objects.annotate(part=Func(F("title"), template=f"SUBSTRING(%(expressions)s FROM {int(start)})"))  # ok
    day = Article.objects.annotate(day=Func(F("created"), function="TO_CHAR", template="%(function)s(%(expressions)s, '" + fmt + "')"))  # expect: SQL202
    upper = Article.objects.annotate(up=Func(F("title"), function="UPPER"))  # ok
    return unsafe, safe, day, upper


def articles_where(request):
    where = request.GET["where"]
    unsafe = Article.objects.extra(where=[where])  # expect: SQL204
    raw = Article.objects.annotate(v=RawSQL(request.GET["expression"], ()))  # expect: SQL204
    return unsafe, raw


class Coalesced(Func):
    function = "COALESCE"


class CoalescedOrZero(Coalesced):
    pass


def with_default(default):
    # a subclass of a subclass of Func: its template is SQL text all the same
    unsafe = Article.objects.annotate(v=CoalescedOrZero(F("views"), template=f"COALESCE(%(expressions)s, {default})"))  # expect: SQL202
    safe = Article.objects.annotate(v=CoalescedOrZero(F("views"), Value(default)))  # ok
    return unsafe, safe


# --- Django: identifiers and lookups from strings (SQL203) -------------------------


def stats_by_period(kind, part):
    by_kind = Article.objects.annotate(period=Trunc("created", kind=kind))  # expect: SQL203
    by_month = Article.objects.annotate(period=Trunc("created", kind="month"))  # ok
    month = Article.objects.annotate(period=TruncMonth("created"))  # ok
    by_part = Article.objects.annotate(p=Extract("created", lookup_name=part))  # expect: SQL203
    year = Article.objects.annotate(p=Extract("created", lookup_name="year"))  # ok
    return by_kind, by_month, month, by_part, year


def dynamic_filters(field, term, alias):
    a = Article.objects.filter(**{f"{field}__icontains": term})  # expect: SQL203
    b = Article.objects.filter(**{"title__icontains": term})  # ok
    c = Article.objects.exclude(**{field: term})  # expect: SQL203
    d = Article.objects.annotate(**{alias: Count("id")})  # expect: SQL203
    e = Article.objects.aggregate(**{alias: Sum("views")})  # expect: SQL203
    f = Article.objects.alias(**{alias: Count("id")}).filter(views__gt=0)  # expect: SQL203
    g = Article.objects.values(**{alias: F("title")})  # expect: SQL203
    h = Article.objects.values("title").annotate(n=Count("id"))  # ok
    i = Article.objects.aggregate(total=Sum("views"))  # ok
    return a, b, c, d, e, f, g, h, i


def startswith_filter(field, term):
    return Article.objects.filter(
        views__gt=0,  # ok
        **{f"{field}__startswith": term},  # expect: SQL203
    )


def sorted_articles(sort, newest):
    ordered = Article.objects.order_by(sort)  # expect: SQL203
    descending = Article.objects.order_by(f"-{sort}")  # expect: SQL203
    fixed = Article.objects.order_by("-created", "title")  # ok
    ordering = "-created" if newest else "created"
    chosen = Article.objects.order_by(ordering)  # ok
    return ordered, descending, fixed, chosen


# --- look-alikes: prose and logging -------------------------------------------------


def explain_sort(sort, n):
    logger.info(f"order_by {sort} requested")  # ok
    logger.info(f"Filter returned {n} articles")  # ok
    if n == 0:
        raise ValueError(f"Could not order by {sort}: unknown column")  # ok
    return f"Select where to sort by {sort}"  # ok


# --- request data as a whole fragment (SQL204) ---------------------------------------


def posts_in_requested_order():
    order = request.args.get("order", "title")
    return db.session.query(Post).order_by(text(order)).all()  # expect: SQL204


def posts_matching():
    return db.session.query(Post).filter(text(request.args["where"])).all()  # expect: SQL204


def requested_column():
    return select(literal_column(request.args["column"]))  # expect: SQL204
