"""Sales reports for the back office, written against the Django ORM."""
from django.db import connection, models
from django.db.models import Count, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth


class Order(models.Model):
    customer = models.CharField(max_length=100)
    status = models.CharField(max_length=20)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "shop"


def monthly_revenue(year):
    return (
        Order.objects.filter(created__year=year, status="paid")
        .annotate(month=TruncMonth("created"))
        .values("month")
        .annotate(revenue=Sum("total"), orders=Count("id"))
        .order_by("month")
    )


def orders_with_item_count():
    item_count = RawSQL(
        "SELECT COUNT(*) FROM shop_orderitem"
        " WHERE shop_orderitem.order_id = shop_order.id",
        (),
    )
    return Order.objects.annotate(item_count=item_count)


def large_orders(customer, minimum):
    return Order.objects.filter(customer=customer).extra(
        where=[f"total >= {minimum}"],
    )


def biggest_orders(since, limit=10):
    return Order.objects.raw(
        "SELECT * FROM shop_order WHERE created >= %s"
        f" ORDER BY total DESC LIMIT {int(limit)}",
        [since],
    )


def orders_by_status(status):
    return Order.objects.raw(
        f"SELECT * FROM shop_order WHERE status = '{status}'"
    )


def status_counts(since):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, COUNT(*) FROM shop_order"
            " WHERE created >= %s GROUP BY status",
            [since],
        )
        return dict(cursor.fetchall())
